import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much of a request body a server accepts, and how long it waits for it. */
export interface BodyLimits {
  /** Default 1 000 000 bytes; larger bodies get 413 PAYLOAD_TOO_LARGE. */
  readonly maxBytes: number;
  /** Default 10 000 ms from the request's headers to the body's end; slower bodies get 408 REQUEST_TIMEOUT. */
  readonly timeoutMs: number;
}

export const defaultBodyLimits: BodyLimits = Object.freeze({ maxBytes: 1_000_000, timeoutMs: 10_000 });

/** A request body refused before it reached GraphQL: answered with `status` and `code`. */
export class RequestBodyError extends Error {
  constructor(
    readonly status: 408 | 413,
    readonly code: 'REQUEST_TIMEOUT' | 'PAYLOAD_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'RequestBodyError';
  }
}

/**
 * Reads a JSON request body within `limits`: the parsed value, the text when it is not JSON (Apollo
 * Server answers 400 for it), or undefined when empty. Rejects with a RequestBodyError as soon as
 * the body passes maxBytes (or declares more in content-length), or when it has not ended within
 * timeoutMs.
 */
export function readJsonBody(request: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const tooLarge = (): RequestBodyError =>
    new RequestBodyError(413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${limits.maxBytes} bytes`);
  if (Number(request.headers['content-length']) > limits.maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('error', finish);
      if (error) reject(error);
      else resolve(parseJson(Buffer.concat(chunks).toString('utf8')));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const timer = setTimeout(() => {
      finish(
        new RequestBodyError(
          408,
          'REQUEST_TIMEOUT',
          `Request body not received within ${limits.timeoutMs} ms`,
        ),
      );
    }, limits.timeoutMs);
    request.on('data', onData).once('end', onEnd).once('error', finish);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Apollo Server answers a 400 for a body that is not an object.
    return text;
  }
}

/**
 * Answers a refused body with its status and a GraphQL-shaped error, and closes the connection
 * once the answer is sent; the rest of the body is read and dropped meanwhile, so that a client
 * still sending it receives the answer.
 */
export function answerBodyError(
  request: IncomingMessage,
  response: ServerResponse,
  error: RequestBodyError,
): void {
  request.resume();
  response.writeHead(error.status, { 'content-type': 'application/json', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }));
}

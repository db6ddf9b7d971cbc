import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Kind, OperationTypeNode, parse } from 'graphql';

/** The fetch signature RemoteGraphQLDataSource calls. */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** A fetcher for subgraph calls plus the agents it owns, destroyed by `close`. */
export interface KeepAliveFetcher {
  readonly fetch: Fetcher;
  /** Closes the pooled sockets; in-flight requests finish first. */
  close(): void;
}

export interface KeepAliveFetcherOptions {
  /** Most sockets open to one subgraph at once (default 64). */
  readonly maxSockets?: number;
  /** Abort a subgraph call after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /**
   * Close a pooled socket idle this long (default 30 000 ms): well before a subgraph server closes
   * it (common/src/server/http.ts: keepAliveTimeout 65 s), so that no request is written to a socket
   * the server is closing.
   */
  readonly idleTimeoutMs?: number;
}

/** One subgraph call: where to, what, and how long it may take. */
interface Call {
  readonly url: URL;
  readonly init: FetcherRequestInit;
  readonly secure: boolean;
  readonly timeoutMs: number;
}

/**
 * A `Fetcher` for `RemoteGraphQLDataSource` over node:http with keep-alive agents, so the gateway
 * reuses its connections to each subgraph instead of opening one per query-plan fetch.
 */
export function createKeepAliveFetcher(options: KeepAliveFetcherOptions = {}): KeepAliveFetcher {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    scheduling: 'lifo' as const,
    // The agent's socket timeout applies to idle pooled sockets (a request sets its own): it closes them.
    timeout: options.idleTimeoutMs ?? 30_000,
  };
  const http = new Agent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetch: Fetcher = async (url, init) => {
    const call = { url: new URL(url), init: init ?? {}, secure: url.startsWith('https:'), timeoutMs };
    try {
      return await send(call, call.secure ? https : http);
    } catch (error) {
      if (!(error instanceof StaleSocketError) || !isQueryBody(call.init.body)) throw error;
      // The server closed a pooled socket as the request went out: nothing reached it, or nothing
      // it answered. A query is sent once more, on a new connection (its pooled peers may be as old).
      return send(call, false);
    }
  };
  return {
    fetch,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

/**
 * A request failed on a pooled (reused) socket before any byte of an answer came back: the server
 * had closed, or was closing, that idle connection. `cause` is the socket error.
 */
export class StaleSocketError extends Error {
  constructor(url: URL, cause: unknown) {
    super(`The connection to ${url.origin} was closed before it answered`, { cause });
    this.name = 'StaleSocketError';
  }
}

const staleSocketCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Sends one request through `agent` (false: on a connection of its own, closed after it). */
function send({ url, init, secure, timeoutMs }: Call, agent: Agent | false): Promise<FetcherResponse> {
  return new Promise((resolve, reject) => {
    const requestOptions = {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      timeout: timeoutMs,
      agent,
    };
    let answered = false;
    const onResponse = (response: IncomingMessage): void => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve(toResponse(response, Buffer.concat(chunks))));
    };
    const req = secure
      ? httpsRequest(url, requestOptions, onResponse)
      : httpRequest(url, requestOptions, onResponse);
    req.on('timeout', () =>
      req.destroy(new Error(`Subgraph request to ${url.origin} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const stale = !answered && req.reusedSocket && staleSocketCodes.has(error.code ?? '');
      reject(stale ? new StaleSocketError(url, error) : error);
    });
    req.end(init.body);
  });
}

/** A GraphQL request body (JSON) whose operation is a query: one that may safely be sent twice. */
export function isQueryBody(body: FetcherRequestInit['body']): boolean {
  if (body === undefined) return false;
  try {
    const { query } = JSON.parse(body.toString()) as { query?: unknown };
    if (typeof query !== 'string') return false;
    const operations = parse(query).definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    return (
      operations.length > 0 &&
      operations.every((operation) => operation.operation === OperationTypeNode.QUERY)
    );
  } catch {
    return false;
  }
}

function toResponse(response: IncomingMessage, body: Buffer): FetcherResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const status = response.statusCode ?? 502;
  // A Response cannot carry a body with these statuses.
  const empty = status === 204 || status === 205 || status === 304;
  return new Response(empty ? null : new Uint8Array(body), {
    status,
    statusText: response.statusMessage ?? '',
    headers,
  });
}

import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

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
}

/**
 * A `Fetcher` for `RemoteGraphQLDataSource` over node:http with keep-alive agents, so the gateway
 * reuses its connections to each subgraph instead of opening one per query-plan fetch.
 */
export function createKeepAliveFetcher(options: KeepAliveFetcherOptions = {}): KeepAliveFetcher {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const http = new Agent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetch: Fetcher = (url, init) =>
    send(new URL(url), init ?? {}, url.startsWith('https:'), { http, https }, timeoutMs);
  return {
    fetch,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

function send(
  url: URL,
  init: FetcherRequestInit,
  secure: boolean,
  agents: { http: Agent; https: HttpsAgent },
  timeoutMs: number,
): Promise<FetcherResponse> {
  return new Promise((resolve, reject) => {
    const requestOptions = { method: init.method ?? 'GET', headers: init.headers ?? {}, timeout: timeoutMs };
    const onResponse = (response: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve(toResponse(response, Buffer.concat(chunks))));
    };
    const req = secure
      ? httpsRequest(url, { ...requestOptions, agent: agents.https }, onResponse)
      : httpRequest(url, { ...requestOptions, agent: agents.http }, onResponse);
    req.on('timeout', () =>
      req.destroy(new Error(`Subgraph request to ${url.origin} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(init.body);
  });
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

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { RetryingMessage } from '../events/consumer-health.js';
import type { Logger } from '../logger.js';
import {
  answerBodyError,
  defaultBodyLimits,
  readJsonBody,
  RequestBodyError,
  type BodyLimits,
} from './body.js';
import { specStatus } from './graphql-media.js';
import type { HttpRequestMetrics } from './http-metrics.js';

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly checks: Readonly<Record<string, 'ok' | 'degraded' | 'down'>>;
  /** The messages its event consumers are retrying (a dependency unreachable), while there are some. */
  readonly retrying?: readonly RetryingMessage[];
}

export interface GraphqlHttpOptions<C extends BaseContext> {
  /** Apollo Server, or a wrapper of its HTTP entry point (the gateway's trusted documents). */
  readonly apollo: Pick<ApolloServer<C>, 'executeHTTPGraphQLRequest'>;
  /** Builds the context of one request; `correlationId` comes from x-correlation-id or is new. */
  readonly context: (request: IncomingMessage, correlationId: string) => Promise<C>;
  readonly health?: () => Promise<HealthReport>;
  readonly logger: Logger;
  /** Other routes served beside /graphql and /health (the gateway's playground and metrics). */
  readonly routes?: Readonly<
    Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>
  >;
  /** The request body's size and time limits (default `defaultBodyLimits`). */
  readonly body?: Partial<BodyLimits>;
  /** Counts and times every GraphQL request when its response is done. */
  readonly metrics?: HttpRequestMetrics;
}

/**
 * A plain node:http server for an Apollo Server: POST/GET /graphql, GET /health, and extra routes.
 * Call `apollo.start()` before serving.
 */
export function createGraphqlHttpServer<C extends BaseContext>(options: GraphqlHttpOptions<C>): Server {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      if (error instanceof RequestBodyError && !response.headersSent) {
        answerBodyError(request, response, error);
        return;
      }
      options.logger.error({ err: error }, 'request failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        }),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  // Slow headers get Node's own 408; a slow body gets ours (readJsonBody), well before this backstop.
  server.headersTimeout = 10_000;
  server.requestTimeout = server.headersTimeout + bodyLimitsOf(options).timeoutMs + 5_000;
  return server;
}

async function handle<C extends BaseContext>(
  options: GraphqlHttpOptions<C>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const route = options.routes?.[url.pathname];
  if (route && !(url.pathname === '/graphql' && request.method === 'POST')) return route(request, response);
  if (url.pathname === '/health') {
    const report = options.health ? await options.health() : { status: 'ok' as const, checks: {} };
    response.writeHead(report.status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(report));
    return;
  }
  if (url.pathname !== '/graphql') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  const correlationId = correlationIdOf(request);
  logRequest(options, request, response, correlationId);
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = request.method === 'POST' ? await readJsonBody(request, bodyLimitsOf(options)) : undefined;
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
    context: () => options.context(request, correlationId),
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.setHeader('x-correlation-id', correlationId);
  if (result.body.kind === 'complete') {
    response.statusCode = specStatus(
      result.status ?? 200,
      result.headers.get('content-type'),
      result.body.string,
    );
    response.end(result.body.string);
    return;
  }
  response.statusCode = result.status ?? 200;
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

function bodyLimitsOf(options: Pick<GraphqlHttpOptions<BaseContext>, 'body'>): BodyLimits {
  return { ...defaultBodyLimits, ...options.body };
}

/** One structured line per GraphQL request, and its metrics, when the response is done. */
function logRequest(
  { logger, metrics }: Pick<GraphqlHttpOptions<BaseContext>, 'logger' | 'metrics'>,
  request: IncomingMessage,
  response: ServerResponse,
  correlationId: string,
): void {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  response.setHeader('x-request-id', requestId);
  response.once('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    metrics?.answered(request.method, response.statusCode, durationMs / 1000);
    logger.info(
      { requestId, correlationId, method: request.method, status: response.statusCode, durationMs },
      'graphql request',
    );
  });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's x-correlation-id when it is a UUID (events require one), else a new one. */
export function correlationIdOf(request: IncomingMessage): string {
  const sent = headerValue(request, 'x-correlation-id');
  return sent && uuidPattern.test(sent) ? sent : randomUUID();
}

export function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Listens on 127.0.0.1 by default; port 0 picks a free port. Resolves with the port. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive sockets. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

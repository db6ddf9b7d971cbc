import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * Who may read GET /metrics: anyone (`'open'`), nobody (`'off'`: 404), or a client sending
 * `Authorization: Bearer <token>` (a Prometheus scrape job's `authorization` credentials).
 */
export type MetricsAccess = 'open' | 'off' | { readonly bearerToken: string };

/** GET /metrics for a registry: Prometheus text format, to whom `access` allows. */
export function metricsRoute(
  registry: Registry,
  access: MetricsAccess = 'open',
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    if (access === 'off') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (access !== 'open' && !bearerMatches(request.headers.authorization, access.bearerToken)) {
      response
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('Unauthorized');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

/** `Bearer <token>` with the expected token, compared in constant time (as digests: equal lengths). */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = /^Bearer +(.+)$/i.exec(header ?? '')?.[1];
  if (!presented) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

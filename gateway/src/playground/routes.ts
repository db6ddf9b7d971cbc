import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '@commerce/common/logger';
import { assetPaths, loadPlaygroundAssets, type PlaygroundAsset, type PlaygroundAssets } from './assets.js';
import { contentSecurityPolicy, playgroundHtml } from './page.js';

/** A route of `createGraphqlHttpServer` (@commerce/common/server). */
export type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface PlaygroundRoutesOptions {
  /** Answers every /graphql request that is not a browser opening the page: Apollo's GET handler. */
  readonly graphql: Route;
  readonly logger: Logger;
  /** The page's files; default `loadPlaygroundAssets()`, started at once. */
  readonly assets?: Promise<PlaygroundAssets>;
}

/**
 * The browser playground's routes: GET / and GET /graphql from a browser (one that prefers
 * text/html) serve the GraphiQL page, /playground/* its files; every other GET /graphql goes to
 * `options.graphql`. A playground that cannot be built answers 503 and is logged; the API is not
 * affected.
 */
export function playgroundRoutes(options: PlaygroundRoutesOptions): Record<string, Route> {
  const assets = (options.assets ?? loadPlaygroundAssets()).catch((error: unknown) => {
    options.logger.error({ err: error }, 'the playground could not be built; it answers 503');
    return undefined;
  });
  const page: Route = async (request, response) => {
    if (!(await assets)) return unavailable(response);
    const body = Buffer.from(playgroundHtml);
    response.writeHead(200, {
      ...commonHeaders,
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'content-security-policy': contentSecurityPolicy(request.headers.host),
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  const routes: Record<string, Route> = {
    '/': async (request, response) => (isRead(request) ? page(request, response) : notAllowed(response)),
    '/graphql': (request, response) =>
      isRead(request) && prefersHtml(request.headers.accept)
        ? page(request, response)
        : options.graphql(request, response),
  };
  for (const path of Object.values(assetPaths)) {
    routes[path] = async (request, response) => {
      if (!isRead(request)) return notAllowed(response);
      const asset = (await assets)?.get(path);
      return asset ? sendAsset(request, response, asset) : unavailable(response);
    };
  }
  return routes;
}

/**
 * A route answering like `server` does, where no extra route is registered: `server` is made by
 * `createGraphqlHttpServer` without routes and never listens; it only handles what it is handed.
 */
export function handledBy(server: Server): Route {
  return (request, response) => {
    server.emit('request', request, response);
    return Promise.resolve();
  };
}

/**
 * Whether an Accept header asks for HTML before JSON, as a browser's navigation does
 * (`text/html,...,*\/*;q=0.8`); GraphQL clients, curl and fetch() (`*\/*`) get Apollo's JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  let html = 0;
  let json = 0;
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!Number.isFinite(q)) continue;
    if (range === 'text/html') html = Math.max(html, q);
    if (range === 'application/json' || range === 'application/graphql-response+json')
      json = Math.max(json, q);
  }
  return html > 0 && html >= json;
}

const commonHeaders = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } as const;

function isRead(request: IncomingMessage): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

function sendAsset(request: IncomingMessage, response: ServerResponse, asset: PlaygroundAsset): void {
  const headers = {
    ...commonHeaders,
    'content-type': asset.contentType,
    etag: asset.etag,
    vary: 'accept-encoding',
  };
  const cached = (request.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim());
  if (cached.includes(asset.etag)) {
    response.writeHead(304, headers).end();
    return;
  }
  const gzip = /\bgzip\b/i.test(request.headers['accept-encoding'] ?? '');
  const body = gzip ? asset.gzipped : asset.body;
  response.writeHead(200, {
    ...headers,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function notAllowed(response: ServerResponse): void {
  response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
  response.end('Method not allowed');
}

function unavailable(response: ServerResponse): void {
  response.writeHead(503, { ...commonHeaders, 'content-type': 'text/plain; charset=utf-8' });
  response.end('The playground is unavailable (see the gateway log); POST /graphql still works.');
}

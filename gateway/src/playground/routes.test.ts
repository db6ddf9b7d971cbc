import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createLogger } from '@commerce/common/logger';
import { generateKeyPair } from '@commerce/common/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { authorizationOf } from './fetcher.js';
import { prefersHtml } from './routes.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the playground routes of the gateway', () => {
  let gateway: RunningGateway;
  let origin: string;

  beforeAll(async () => {
    gateway = await startGateway({
      supergraphSdl,
      // No subgraph is called: the operations below only ask for __typename.
      subgraphUrls: {},
      jwtPublicKey: generateKeyPair().publicKey,
      logger: createLogger('test'),
    });
    origin = new URL(gateway.url).origin;
  });

  afterAll(async () => {
    await gateway.close();
  });

  const scriptsAndStyles = (html: string): string[] =>
    [...html.matchAll(/<(?:script src|link rel="stylesheet" href)="([^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );

  it('serves the GraphiQL page on GET /graphql to a browser, with a CSP allowing only the gateway', async () => {
    const response = await fetch(gateway.url, { headers: { accept: browserAccept } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://${new URL(origin).host}`);
    const html = await response.text();
    expect(html).toContain('<div id="playground">');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>|<script\s+type=/);
    const assets = scriptsAndStyles(html);
    expect(assets).toHaveLength(6);
    for (const asset of assets) expect(asset).toMatch(/^\/playground\/[\w.-]+$/);
  });

  it('serves the same page on GET /, whatever the Accept header', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="playground">');
    expect((await fetch(`${origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers GET /graphql from a GraphQL client (no text/html) with Apollo JSON as before', async () => {
    const query = encodeURIComponent('{ __typename }');
    for (const accept of ['application/json', '*/*', 'application/graphql-response+json, text/html;q=0.5']) {
      const response = await fetch(`${gateway.url}?query=${query}`, {
        headers: { accept, 'apollo-require-preflight': 'true' },
      });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get('content-type'), accept).toMatch(/^application\/(graphql-response\+)?json/);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('answers POST /graphql with JSON even when the client accepts text/html', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { accept: browserAccept, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves every file of the page itself, with its content type, gzipped, and revalidated by ETag', async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const types: string[] = [];
    for (const path of scriptsAndStyles(html)) {
      const response = await fetch(`${origin}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.status, path).toBe(200);
      const type = response.headers.get('content-type') ?? '';
      expect(type, path).toBe(
        path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      types.push(type);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-encoding'), path).toBe('gzip');
      expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
      const etag = response.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/".+"$/);
      expect((await fetch(`${origin}${path}`, { headers: { 'if-none-match': etag } })).status, path).toBe(
        304,
      );
    }
    expect(types.filter((type) => type.startsWith('text/javascript'))).toHaveLength(4);
  });

  it("serves GraphiQL's own build from node_modules, byte for byte", async () => {
    const file = createRequire(import.meta.url).resolve('graphiql/graphiql.min.js');
    const response = await fetch(`${origin}/playground/graphiql.min.js`);
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(file))).toBe(true);
  });

  it('bundles a page script that opens subscriptions on the same host over graphql-ws', async () => {
    const script = await (await fetch(`${origin}/playground/playground.js`)).text();
    expect(script).toContain('graphql-transport-ws');
    expect(script).toContain('stockUpdated');
    expect(script).not.toMatch(/import\s*\(|from\s*["']https?:/);
  });
});

describe('prefersHtml', () => {
  it.each([
    [browserAccept, true],
    ['text/html', true],
    ['text/html, application/json', true],
    ['application/json, text/html;q=0.9', false],
    ['*/*', false],
    ['application/json', false],
    ['text/html;q=0', false],
    [undefined, false],
  ])('%s -> %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('authorizationOf', () => {
  it('finds the Authorization header of the headers editor whatever its case, trimmed', () => {
    expect(authorizationOf({ Authorization: ' Bearer abc ' })).toBe('Bearer abc');
    expect(authorizationOf({ authorization: 'Bearer abc' })).toBe('Bearer abc');
    expect(authorizationOf({ 'x-other': 'x', AUTHORIZATION: '' })).toBeUndefined();
    expect(authorizationOf(undefined)).toBeUndefined();
  });
});

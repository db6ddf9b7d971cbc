import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { closeServer, listen } from '@commerce/common/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './gateway.js';

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

/** A products subgraph that answers each request after `delayMs`, so that requests overlap. */
async function slowProducts(delayMs: number): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      seen.push(query);
      const data = query.startsWith('mutation')
        ? { deleteProduct: 'p1' }
        : { products: { edges: [{ node: { id: 'p1', name: 'Mug' } }] } };
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data })),
        delayMs,
      );
    });
  });
  return { url: `http://127.0.0.1:${await listen(server, 0)}/graphql`, seen, server };
}

describe('deduplication of identical in-flight subgraph queries', () => {
  const keys = generateKeyPair();
  const tokenOf = (userId: string): string =>
    signAccessToken({ userId, email: `${userId}@example.com`, role: 'ADMIN' }, keys.privateKey, 60);
  let products: Awaited<ReturnType<typeof slowProducts>>;
  let gateway: RunningGateway;
  let undeduplicated: RunningGateway;

  beforeAll(async () => {
    products = await slowProducts(150);
    const options = {
      supergraphSdl,
      subgraphUrls: { products: products.url },
      jwtPublicKey: keys.publicKey,
      logger: createLogger('test'),
    };
    gateway = await startGateway(options);
    undeduplicated = await startGateway({ ...options, deduplicateFetches: false });
  });

  afterAll(async () => {
    await Promise.all([gateway.close(), undeduplicated.close()]);
    await closeServer(products.server);
  });

  beforeEach(() => {
    products.seen.length = 0;
  });

  const post = (url: string, query: string, token?: string): Promise<unknown> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    }).then((response) => response.json());
  const catalog = '{ products(first: 1) { edges { node { id name } } } }';
  const expected = { data: { products: { edges: [{ node: { id: 'p1', name: 'Mug' } }] } } };

  it('sends concurrent identical queries of one viewer once, and answers each in full', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(gateway.url, catalog)));
    expect(answers).toEqual(Array.from({ length: 5 }, () => expected));
    expect(products.seen).toHaveLength(1);
  });

  it('never shares a fetch across viewers', async () => {
    const [alice, bob] = [tokenOf('alice'), tokenOf('bob')];
    const answers = await Promise.all([
      post(gateway.url, catalog, alice),
      post(gateway.url, catalog, bob),
      post(gateway.url, catalog, alice),
      post(gateway.url, catalog),
    ]);
    expect(answers).toEqual(Array.from({ length: 4 }, () => expected));
    // alice (twice: one fetch), bob, anonymous.
    expect(products.seen).toHaveLength(3);
  });

  it('shares nothing between different variables', async () => {
    await Promise.all([
      post(gateway.url, catalog),
      post(gateway.url, catalog.replace('first: 1', 'first: 2')),
    ]);
    expect(products.seen).toHaveLength(2);
  });

  it('never shares a mutation', async () => {
    const admin = tokenOf('admin');
    const mutation = 'mutation { deleteProduct(id: "p1") }';
    const answers = await Promise.all(Array.from({ length: 3 }, () => post(gateway.url, mutation, admin)));
    expect(answers).toEqual(Array.from({ length: 3 }, () => ({ data: { deleteProduct: 'p1' } })));
    expect(products.seen).toHaveLength(3);
  });

  it('sends queries again once the first have been answered (it is no cache)', async () => {
    await post(gateway.url, catalog);
    await post(gateway.url, catalog);
    expect(products.seen).toHaveLength(2);
  });

  it('can be turned off', async () => {
    await Promise.all(Array.from({ length: 3 }, () => post(undeduplicated.url, catalog)));
    expect(products.seen).toHaveLength(3);
  });
});

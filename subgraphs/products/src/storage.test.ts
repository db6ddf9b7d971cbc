import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { InMemoryEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { afterAll, describe, expect, it } from 'vitest';
import { productsSubgraph } from './subgraph.js';

const dataDir = mkdtempSync(join(tmpdir(), 'products-storage-'));
const bus = new InMemoryEventBus();
const keys = generateKeyPair();
const jwt = {
  publicKey: keys.publicKey,
  privateKey: null,
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
};
const admin = signAccessToken(
  { userId: 'admin-1', email: 'admin@example.com', role: 'ADMIN' },
  keys.privateKey,
  900,
);
const logger = createLogger('products-storage-test');

afterAll(async () => {
  await bus.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function gql(url: string, query: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

describe('embedded storage (in-process bus)', () => {
  it('keeps the catalog in <dataDir>/products.json across a close and a reopen', async () => {
    const first = await productsSubgraph.open({ mode: 'embedded', dataDir });
    const running = await first.start({ bus, jwt, logger });
    const created = await gql(
      running.url,
      'mutation { createProduct(input: { name: "Lamp", category: "Home", price: 12.5, quantity: 3 }) { id } }',
    );
    expect(created).toMatchObject({ data: { createProduct: { id: expect.any(String) as unknown } } });
    await running.close();
    await first.close();
    expect(existsSync(join(dataDir, 'products.json'))).toBe(true);

    const second = await productsSubgraph.open({ mode: 'embedded', dataDir });
    const reopened = await second.start({ bus, jwt, logger });
    try {
      expect(await gql(reopened.url, '{ products { totalCount edges { node { name price } } } }')).toEqual({
        data: { products: { totalCount: 1, edges: [{ node: { name: 'Lamp', price: 12.5 } }] } },
      });
    } finally {
      await reopened.close();
      await second.close();
    }
  });
});

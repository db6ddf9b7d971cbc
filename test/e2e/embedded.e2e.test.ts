import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import { createLogger } from '@commerce/common/logger';
import { afterAll, describe, expect, it } from 'vitest';
import { demoProducts, startEmbeddedSupergraph, type EmbeddedSupergraph } from '@commerce/supergraph';
import { createClient, dataOf } from '../client/client.js';
import { startSupergraph } from '../harness/supergraph.js';
import {
  exampleAddress,
  login,
  placeOrder,
  signUpCustomer,
  waitForOrderStatus,
  waitForStock,
} from './actors.js';
import { OrdersQuery, ProductsQuery } from './operations.js';
import { describeWalkthrough } from './walkthrough.js';

describeWalkthrough('embedded: SQLite, JSON documents, in-process events', () =>
  startSupergraph({ storage: 'embedded' }),
);

describe('npm start without servers: the embedded supergraph on a data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-embedded-'));
  const jwt: JwtConfig = { ...generateKeyPair(), accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 86_400 };
  const admin = { email: 'owner@example.com', password: 'Owner-Passw0rd!' };
  const start = () => startEmbeddedSupergraph({ dataDir, jwt, admin, logger: createLogger('e2e'), port: 0 });
  let running: EmbeddedSupergraph | undefined;

  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const catalog = async (url: string) =>
    dataOf(await createClient(url).request(ProductsQuery, { first: 50 })).products.edges.map(
      (edge) => edge.node,
    );

  it('seeds the admin and the demo products with their stock on the first start', async () => {
    running = await start();
    expect(running.demo).toBe('seeded');
    const client = createClient(running.gateway.url);
    await login(client, admin.email, admin.password);
    const products = await catalog(running.gateway.url);
    expect(products.map(({ name, category, price }) => ({ name, category, price })).sort(byName)).toEqual(
      demoProducts.map(({ name, category, price }) => ({ name, category, price })).sort(byName),
    );
    const headphones = products.find((product) => product.name === 'Wireless Noise-Cancelling Headphones');
    await waitForStock(client, headphones?.id ?? '', { available: 100, reserved: 0 });
  });

  it('keeps users, products, stock and orders across a restart, without seeding twice', async () => {
    if (!running) throw new Error('the first start failed');
    const client = createClient(running.gateway.url);
    const customer = await signUpCustomer(client, 'restart@example.com');
    const [watch] = (await catalog(running.gateway.url)).filter((p) => p.name === 'Smart Fitness Watch');
    if (!watch) throw new Error('no watch');
    const order = dataOf(
      await placeOrder(client, customer.token, {
        items: [{ productId: watch.id, quantity: 2 }],
        shippingAddress: exampleAddress,
      }),
    ).placeOrder;
    await waitForStock(client, watch.id, { available: 73, reserved: 2 });
    await waitForOrderStatus(client, customer.token, order.id, 'CONFIRMED');
    const productIds = idsOf(await catalog(running.gateway.url));
    await running.close();
    running = undefined;

    running = await start();
    expect(running.demo).toBe('already seeded');
    const again = createClient(running.gateway.url);
    expect(idsOf(await catalog(running.gateway.url))).toEqual(productIds);
    const token = await login(again, 'restart@example.com', 'Password123');
    const orders = dataOf(await again.request(OrdersQuery, {}, { token })).orders;
    expect(orders.map(({ id, status }) => ({ id, status }))).toEqual([{ id: order.id, status: 'CONFIRMED' }]);
    await waitForStock(again, watch.id, { available: 73, reserved: 2 });

    // Events still flow after the restart: a new order reserves stock.
    dataOf(
      await placeOrder(again, token, {
        items: [{ productId: watch.id, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    );
    await waitForStock(again, watch.id, { available: 72, reserved: 3 });
  });
});

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
const idsOf = (products: readonly { id: string }[]): string[] => products.map((p) => p.id).sort();

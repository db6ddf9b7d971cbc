import type { Topics } from '@commerce/common/events';
import type { HealthReport } from '@commerce/common/server';
import { listDeadLetters, type SubgraphName } from '@commerce/supergraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import {
  startPrivateFerretDb,
  startPrivatePostgres,
  type PrivateDatabaseServer,
} from '../faults/private-servers.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { waitForCaughtUp } from '../faults/kafka-probe.js';
import {
  createProduct,
  exampleAddress,
  login,
  placeOrder,
  signUpCustomer,
  stockOf,
  waitForStock,
} from './actors.js';
import { OrdersQuery, PlaceOrderMutation } from './operations.js';

/**
 * A database stopped under a consumer: the inventory's PostgreSQL, then the orders' document store
 * (FerretDB), each a private server of this test (the shared ones serve the other test files). The
 * consumers keep the messages they cannot store, report themselves degraded, retry until the
 * database is back, and then every event takes effect once; nothing reaches a dead-letter topic.
 */
const outageMs = 15_000;

describe('a database outage under the consumers', () => {
  let postgres: PrivateDatabaseServer;
  let ferret: PrivateDatabaseServer;
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  let customers: { id: string; token: string }[];
  const reservations: { eventId: string; orderId: string }[] = [];

  beforeAll(async () => {
    [postgres, ferret] = await Promise.all([startPrivatePostgres(), startPrivateFerretDb()]);
    supergraph = await startSupergraph({
      databaseUrls: { inventory: postgres.url, orders: ferret.url },
      // Two customers place 41 unpaid orders here: the hoarding cap is not what this file is about.
      orderPolicy: { maxOpenOrdersPerCustomer: 100 },
    });
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    customers = [
      await signUpCustomer(client, 'db-outage-a@example.com'),
      await signUpCustomer(client, 'db-outage-b@example.com'),
    ];
    await supergraph.bus.subscribe(
      'stock.updated',
      'db-outage-observer',
      (event) => {
        const { reason, orderId } = event.payload;
        if (reason === 'RESERVED' && orderId) reservations.push({ eventId: event.metadata.eventId, orderId });
        return Promise.resolve();
      },
      { fromBeginning: true },
    );
  }, 240_000);

  afterAll(async () => {
    for (const server of [postgres, ferret])
      if (server && !server.running) await server.start().catch(() => undefined);
    await supergraph?.close();
    await Promise.all([postgres?.destroy(), ferret?.destroy()]);
  }, 240_000);

  async function health(name: SubgraphName): Promise<HealthReport> {
    const response = await fetch(supergraph.subgraphs[name].url.replace(/\/graphql$/, '/health'));
    return (await response.json()) as HealthReport;
  }

  /** event_consumer_retries_total of a subgraph's consumer of `topic` (transient failures). */
  async function transientRetries(name: SubgraphName, topic: string): Promise<number> {
    const response = await fetch(supergraph.subgraphs[name].url.replace(/\/graphql$/, '/metrics'));
    const text = await response.text();
    const line = text
      .split('\n')
      .find(
        (row) =>
          row.startsWith('event_consumer_retries_total{') &&
          row.includes(`topic="${topic}"`) &&
          row.includes('kind="transient"'),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  async function deadLetters(topic: keyof Topics): Promise<number> {
    const kafka = supergraph.kafka;
    if (!kafka) throw new Error('the supergraph runs on Kafka');
    return (await listDeadLetters({ kafka: kafka.client, topicPrefix: kafka.topicPrefix, topic })).length;
  }

  /** Waits out the rest of the outage, then starts the server again; resolves when it answers. */
  async function restartAfterOutage(server: PrivateDatabaseServer, stoppedAt: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + outageMs - Date.now())));
    await server.start();
    return Date.now();
  }

  async function statusesOf(orderIds: readonly string[]): Promise<string[]> {
    const orders = dataOf(await client.request(OrdersQuery, {}, { token: adminToken })).orders;
    return orderIds.map((id) => orders.find((order) => order.id === id)?.status ?? 'missing');
  }

  it('the inventory PostgreSQL stopped for 15 s while 20 orders are placed: once it is back every reservation happens once, stock is exact, nothing is dead-lettered', async () => {
    const products = await Promise.all(
      [1, 2].map((n) =>
        createProduct(client, adminToken, {
          name: `Outage ${n}`,
          category: 'Outage',
          price: 10,
          quantity: 100,
        }),
      ),
    );
    await Promise.all(products.map((id) => stockOf(client, id)));
    // One order of both: orders knows the products, inventory reserves (its consumer runs).
    const warmUp = dataOf(
      await placeOrder(client, customers[0]!.token, {
        items: products.map((productId) => ({ productId, quantity: 1 })),
        shippingAddress: exampleAddress,
      }),
    ).placeOrder;
    await Promise.all(products.map((id) => waitForStock(client, id, { available: 99, reserved: 1 })));
    expect((await health('inventory')).checks['consumers']).toBe('ok');

    const stoppedAt = Date.now();
    await postgres.stop();
    const reserved = [1, 1];
    const placed: string[] = [];
    for (let k = 0; k < 20; k += 1) {
      const quantity = (k % 3) + 1;
      const order = dataOf(
        await client.request(
          PlaceOrderMutation,
          { input: { items: [{ productId: products[k % 2]!, quantity }], shippingAddress: exampleAddress } },
          { token: customers[k % 2]!.token },
        ),
      ).placeOrder;
      placed.push(order.id);
      reserved[k % 2]! += quantity;
      // Spread over the outage's first seconds: each order.placed meets the database down.
      if (k === 9) await new Promise((resolve) => setTimeout(resolve, 2_000));
    }

    const degraded = await waitFor(
      async () => {
        const report = await health('inventory');
        return report.checks['consumers'] === 'degraded' && report;
      },
      { timeoutMs: 10_000, message: 'inventory to report its consumers degraded' },
    );
    expect(degraded.status).not.toBe('ok');
    expect(degraded.retrying).toContainEqual(
      expect.objectContaining({ group: 'inventory', topic: 'order.placed', kind: 'transient' }),
    );
    expect(degraded.retrying?.find((message) => message.topic === 'order.placed')?.lastError).toMatch(
      /ECONNREFUSED|terminating connection/,
    );

    const restarted = await restartAfterOutage(postgres, stoppedAt);
    const expected = reserved.map((count) => ({ available: 100 - count, reserved: count }));
    await Promise.all(products.map((id, p) => waitForStock(client, id, expected[p]!, 60_000)));
    const recoveredMs = Date.now() - restarted;
    const retries = await transientRetries('inventory', 'order.placed');
    console.log(
      `[db-outage] inventory PostgreSQL down ${restarted - stoppedAt} ms; every reservation done ` +
        `${recoveredMs} ms after it answered again; order.placed retries: ${retries}`,
    );

    expect(retries).toBeGreaterThan(0);
    const reservationsOf = (orderId: string) => reservations.filter((r) => r.orderId === orderId);
    await waitFor(() => placed.every((id) => reservationsOf(id).length > 0), {
      message: 'a reservation event for each of the 20 orders',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(placed.map((id) => new Set(reservationsOf(id).map((r) => r.eventId)).size)).toEqual(
      placed.map(() => 1),
    );
    await waitFor(async () => (await statusesOf([warmUp.id, ...placed])).every((s) => s === 'CONFIRMED'), {
      message: 'every order CONFIRMED',
    });
    expect(await deadLetters('order.placed')).toBe(0);
    await waitFor(async () => (await health('inventory')).status === 'ok', {
      message: 'inventory to report ok again',
    });
    expect((await health('inventory')).retrying).toBeUndefined();
  }, 180_000);

  it('the orders FerretDB stopped for 15 s while products are created and repriced: once it is back the orders catalog has them all, orders are priced right, nothing is dead-lettered', async () => {
    const repriced = await createProduct(client, adminToken, {
      name: 'Repriced',
      category: 'Outage',
      price: 10,
      quantity: 100,
    });
    await stockOf(client, repriced);
    dataOf(
      await placeOrder(client, customers[0]!.token, {
        items: [{ productId: repriced, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    );
    await waitForStock(client, repriced, { available: 99, reserved: 1 });
    expect((await health('orders')).checks['consumers']).toBe('ok');

    const stoppedAt = Date.now();
    await ferret.stop();
    const created = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        createProduct(client, adminToken, {
          name: `During ${n}`,
          category: 'Outage',
          price: 5 * n,
          quantity: 50,
        }),
      ),
    );
    await updatePrice(repriced, 12.5);

    const degraded = await waitFor(
      async () => {
        const report = await health('orders');
        return report.checks['consumers'] === 'degraded' && report;
      },
      { timeoutMs: 15_000, message: 'orders to report its consumers degraded' },
    );
    expect(degraded.status).toBe('down');
    // Whichever product event is in hand at that moment (created or updated) is retried as transient.
    const retried = degraded.retrying?.find(
      (held) => held.group === 'orders' && held.topic.startsWith('product.'),
    );
    expect(retried, JSON.stringify(degraded.retrying)).toMatchObject({ kind: 'transient' });

    const restarted = await restartAfterOutage(ferret, stoppedAt);
    // The orders copy of the catalog has caught up once its group has committed every product event
    // (a placement before that would rightly be priced from the copy it still has).
    const kafka = supergraph.kafka;
    if (!kafka) throw new Error('this test runs on the servers');
    for (const topic of ['product.created', 'product.updated'] as const) {
      await waitForCaughtUp(
        kafka.client,
        `${kafka.topicPrefix}orders.${topic}`,
        `${kafka.topicPrefix}${topic}`,
        60_000,
      );
    }
    // 20 orders of the products created while the orders database was down, and of the repriced one.
    const items = [...created, repriced];
    const prices = [5, 10, 15, 20, 12.5];
    const reserved = items.map(() => 0);
    const placed: { id: string; total: number; expected: number }[] = [];
    for (let k = 0; k < 20; k += 1) {
      const quantity = (k % 2) + 1;
      const order = dataOf(
        await placeOrder(
          client,
          customers[k % 2]!.token,
          { items: [{ productId: items[k % 5]!, quantity }], shippingAddress: exampleAddress },
          60_000,
        ),
      ).placeOrder;
      placed.push({ id: order.id, total: order.total, expected: prices[k % 5]! * quantity });
      reserved[k % 5]! += quantity;
    }
    const initial = [50, 50, 50, 50, 99];
    await Promise.all(
      items.map((id, p) =>
        waitForStock(
          client,
          id,
          { available: initial[p]! - reserved[p]!, reserved: reserved[p]! + (p === 4 ? 1 : 0) },
          60_000,
        ),
      ),
    );
    const recoveredMs = Date.now() - restarted;
    const retries = await transientRetries('orders', 'product.created');
    console.log(
      `[db-outage] orders FerretDB down ${restarted - stoppedAt} ms; 20 orders placed and reserved ` +
        `${recoveredMs} ms after it answered again; product.created retries: ${retries}`,
    );

    expect(retries).toBeGreaterThan(0);
    expect(placed.map((order) => order.total)).toEqual(placed.map((order) => order.expected));
    await waitFor(
      async () => (await statusesOf(placed.map((order) => order.id))).every((s) => s === 'CONFIRMED'),
      { message: 'every order CONFIRMED' },
    );
    for (const topic of ['product.created', 'product.updated', 'stock.updated', 'order.placed'] as const)
      expect(await deadLetters(topic), topic).toBe(0);
    await waitFor(async () => (await health('orders')).status === 'ok', {
      message: 'orders to report ok again',
    });
  }, 180_000);

  async function updatePrice(productId: string, price: number): Promise<void> {
    const response = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        query:
          'mutation ($id: ID!, $price: Float!) { updateProduct(id: $id, input: { price: $price }) { id } }',
        variables: { id: productId, price },
      }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`updateProduct failed: ${JSON.stringify(body.errors)}`);
  }
});

import type { Topics } from '@commerce/common/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startPrivateBroker, type PrivateBroker } from '../faults/private-servers.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { createProduct, exampleAddress, login, placeOrder, signUpCustomer, stockOf } from './actors.js';
import { OrdersQuery, PlaceOrderMutation, ProductInventoryQuery } from './operations.js';

/**
 * A Kafka outage, against a broker of this test's own (the shared one on 127.0.0.1:9092 serves the
 * other test files meanwhile): mutations go on succeeding while the broker is down, every service
 * reports itself degraded, and when the broker is back every event takes effect exactly once.
 *
 * Orders prices and checks orders from its own copy of the catalog, which it learns only from
 * product.created events: those cannot flow while Kafka is down. So the first 5 products are
 * created, and have propagated, BEFORE the broker stops; during the outage 50 orders are placed
 * for them, while 5 more products are created, stock is adjusted and a customer registers.
 */
describe('a Kafka outage', () => {
  let broker: PrivateBroker;
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  const orderPlaced: Topics['order.placed'][] = [];
  const orderPlacedIds: string[] = [];
  const stockUpdated: { eventId: string; payload: Topics['stock.updated'] }[] = [];

  beforeAll(async () => {
    broker = await startPrivateBroker();
    supergraph = await startSupergraph({
      kafkaBrokers: broker.brokers,
      // The drain is watched by polling ten products every 200 ms from 127.0.0.1 for up to a minute.
      rateLimits: { rates: { requestsPerAddress: { points: 10_000, seconds: 60 } } },
    });
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    const observe = { fromBeginning: true };
    await supergraph.bus.subscribe(
      'order.placed',
      'outage-observer',
      (event) => {
        orderPlaced.push(event.payload);
        orderPlacedIds.push(event.metadata.eventId);
        return Promise.resolve();
      },
      observe,
    );
    await supergraph.bus.subscribe(
      'stock.updated',
      'outage-observer',
      (event) =>
        Promise.resolve(void stockUpdated.push({ eventId: event.metadata.eventId, payload: event.payload })),
      observe,
    );
  }, 240_000);

  afterAll(async () => {
    // Closing deletes this run's topics: give it its broker back if a failure left it stopped.
    if (broker && !broker.running) await broker.start().catch(() => undefined);
    await supergraph?.close();
    await broker?.destroy();
  }, 240_000);

  async function health(): Promise<Record<string, string>> {
    const entries = await Promise.all(
      Object.entries(supergraph.subgraphs).map(async ([name, subgraph]) => {
        const response = await fetch(subgraph.url.replace(/\/graphql$/, '/health'));
        const report = (await response.json()) as { status: string };
        return [name, report.status] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async function inventoryOf(
    productId: string,
  ): Promise<{ available: number; reserved: number } | undefined> {
    const inventory = dataOf(await client.request(ProductInventoryQuery, { id: productId })).product
      ?.inventory;
    return inventory ? { available: inventory.available, reserved: inventory.reserved } : undefined;
  }

  async function adjustStock(productId: string, delta: number): Promise<void> {
    const response = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        query:
          'mutation ($id: ID!, $delta: Int!) { adjustStock(productId: $id, delta: $delta, reason: "restock") { available } }',
        variables: { id: productId, delta },
      }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`adjustStock failed: ${JSON.stringify(body.errors)}`);
  }

  it('keeps every mutation, and applies each of its events exactly once within 60 s of the broker’s return', async () => {
    const allOk = { users: 'ok', products: 'ok', inventory: 'ok', orders: 'ok' };
    // Seven customers for the 51 orders: one customer may hold at most 10 unpaid orders.
    const customers = [];
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
      customers.push(await signUpCustomer(client, `outage-${name}@example.com`));
    const before = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        createProduct(client, adminToken, {
          name: `Before ${n}`,
          category: 'Outage',
          price: 10 * n,
          quantity: 100,
        }),
      ),
    );
    await Promise.all(before.map((id) => stockOf(client, id)));
    // One order for all five: once placed, orders knows them; once reserved, inventory is in step.
    dataOf(
      await placeOrder(client, customers[0]!.token, {
        items: before.map((productId) => ({ productId, quantity: 1 })),
        shippingAddress: exampleAddress,
      }),
    );
    await waitFor(
      async () => (await Promise.all(before.map(inventoryOf))).every((stock) => stock?.reserved === 1),
      {
        message: 'the first order to reserve one of each product',
      },
    );
    expect(await health()).toEqual(allOk);

    await broker.stop();
    const expectedReserved = before.map(() => 1);
    const placed: string[] = [];
    for (let k = 0; k < 50; k += 1) {
      const quantity = (k % 3) + 1;
      const response = await client.request(
        PlaceOrderMutation,
        { input: { items: [{ productId: before[k % 5]!, quantity }], shippingAddress: exampleAddress } },
        { token: customers[k % customers.length]!.token },
      );
      const order = dataOf(response).placeOrder;
      expect(order.status).toBe('PENDING');
      placed.push(order.id);
      expectedReserved[k % 5]! += quantity;
    }
    const after = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        createProduct(client, adminToken, {
          name: `During ${n}`,
          category: 'Outage',
          price: 5 * n,
          quantity: 20,
        }),
      ),
    );
    await adjustStock(before[0]!, 10);
    await signUpCustomer(client, 'outage-late@example.com');
    // Every relay has events it cannot publish: every service says so.
    await waitFor(async () => Object.values(await health()).every((status) => status === 'degraded'), {
      timeoutMs: 60_000,
      message: 'every subgraph to report degraded',
    });
    // Nothing took effect meanwhile: the effects travel only as events.
    expect((await Promise.all(before.map(inventoryOf))).map((stock) => stock?.reserved)).toEqual([
      1, 1, 1, 1, 1,
    ]);
    expect(await Promise.all(after.map(inventoryOf))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);

    const restarted = Date.now();
    await broker.start();
    const ready = Date.now();
    const expected = before.map((_, p) => ({
      available: 100 - expectedReserved[p]! + (p === 0 ? 10 : 0),
      reserved: expectedReserved[p]!,
    }));
    const expectedNew = after.map(() => ({ available: 20, reserved: 0 }));
    let last: unknown;
    await waitFor(
      async () => {
        const now = [await Promise.all(before.map(inventoryOf)), await Promise.all(after.map(inventoryOf))];
        last = now;
        return JSON.stringify(now) === JSON.stringify([expected, expectedNew]);
      },
      {
        timeoutMs: 60_000 - (Date.now() - restarted),
        intervalMs: 200,
        message: `every effect (last read ${JSON.stringify(last)})`,
      },
    );
    const drained = Date.now();
    console.log(
      `[outage] broker restart -> every effect visible: ${drained - restarted} ms ` +
        `(broker ready after ${ready - restarted} ms; drain after ready ${drained - ready} ms)`,
    );

    await waitFor(async () => JSON.stringify(await health()) === JSON.stringify(allOk), {
      timeoutMs: 30_000,
      message: 'every subgraph to report ok again',
    });
    // Exactly once: each order.placed reached Kafka, each order reserved once, nothing moved later.
    await waitFor(() => placed.every((id) => orderPlaced.some((event) => event.orderId === id)), {
      message: 'the observer to see the 50 order.placed',
    });
    const reservationsOf = (): Map<string, Set<string>> => {
      const byOrder = new Map<string, Set<string>>();
      for (const { eventId, payload } of stockUpdated) {
        if (payload.reason !== 'RESERVED' || !placed.includes(payload.orderId ?? '')) continue;
        byOrder.set(payload.orderId ?? '', (byOrder.get(payload.orderId ?? '') ?? new Set()).add(eventId));
      }
      return byOrder;
    };
    const reservations = await waitFor(() => reservationsOf().size === 50 && reservationsOf(), {
      message: 'the observer to see the 50 reservations on stock.updated',
    });
    expect(reservations.size).toBe(50);
    expect([...reservations.values()].every((eventIds) => eventIds.size === 1)).toBe(true);
    const duplicates = orderPlacedIds.length - new Set(orderPlacedIds).size;
    console.log(
      `[outage] order.placed deliveries to the observer: ${orderPlacedIds.length}, duplicates ${duplicates}`,
    );
    expect(await Promise.all(before.map(inventoryOf))).toEqual(expected);
    // Each reservation's inventory.reserved reached orders: every order is CONFIRMED.
    const statuses = async () =>
      dataOf(await client.request(OrdersQuery, {}, { token: adminToken }))
        .orders.filter((order) => placed.includes(order.id))
        .map((order) => order.status);
    await waitFor(async () => (await statuses()).every((status) => status === 'CONFIRMED'), {
      message: 'the 50 orders to be CONFIRMED',
    });
    expect(await statuses()).toEqual(placed.map(() => 'CONFIRMED'));
  }, 300_000);
});

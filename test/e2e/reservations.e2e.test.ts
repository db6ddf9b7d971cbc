import type { Topics } from '@commerce/common/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, errorCodes, type Client } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import {
  createProduct,
  exampleAddress,
  login,
  placeOrder,
  signUpCustomer,
  stockOf,
  waitForStock,
} from './actors.js';
import { OrderQuery, OrdersQuery } from './operations.js';

/** Stock reservation through Kafka: all or nothing, never oversold, never negative. */
describe('stock reservations', () => {
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  const stockEvents: Topics['stock.updated'][] = [];
  let stopObserving: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    stopObserving = await supergraph.bus.subscribe(
      'stock.updated',
      'e2e-observer',
      (event) => {
        stockEvents.push(event.payload);
        return Promise.resolve();
      },
      { fromBeginning: true },
    );
  });

  afterAll(async () => {
    await stopObserving?.();
    await supergraph?.close();
  });

  it('rejects an order for more than the stock without moving any stock', async () => {
    const customer = await signUpCustomer(client, 'big-spender@example.com');
    const productId = await createProduct(client, adminToken, {
      name: 'Limited Edition Camera',
      category: 'Photo',
      price: 1299.5,
      quantity: 3,
    });
    const response = await placeOrder(client, customer.token, {
      items: [{ productId, quantity: 5 }],
      shippingAddress: exampleAddress,
    });

    if (response.errors) {
      // The orders subgraph had already seen the stock and refused the order itself.
      expect(errorCodes(response)).toEqual(['INSUFFICIENT_STOCK']);
      expect(dataOf(await client.request(OrdersQuery, {}, { token: customer.token })).orders).toEqual([]);
    } else {
      const orderId = dataOf(response).placeOrder.id;
      const rejected = await waitFor(
        async () => {
          const { order } = dataOf(
            await client.request(OrderQuery, { id: orderId }, { token: customer.token }),
          );
          return order?.status === 'REJECTED' && order;
        },
        { timeoutMs: 30_000, message: `order ${orderId} to be REJECTED by inventory` },
      );
      expect(rejected.rejectionReason).toBeTruthy();
    }
    expect(await stockOf(client, productId)).toMatchObject({ available: 3, reserved: 0 });
    expect(
      stockEvents.filter((event) => event.productId === productId && event.reason !== 'CREATED'),
    ).toEqual([]);
  });

  it('reserves exactly the stock for 20 concurrent one-unit orders and rejects the other 15', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Flash Sale Console',
      category: 'Gaming',
      price: 499,
      quantity: 5,
      reorderThreshold: 2,
    });
    const customers = await Promise.all(
      [1, 2, 3, 4].map((n) => signUpCustomer(client, `rush-${n}@example.com`)),
    );
    const attempts = Array.from({ length: 20 }, (_, i) => customers[i % customers.length]!);
    const responses = await Promise.all(
      attempts.map((customer) =>
        placeOrder(client, customer.token, {
          items: [{ productId, quantity: 1 }],
          shippingAddress: exampleAddress,
        }),
      ),
    );
    const placed = responses.flatMap((response) => (response.data ? [response.data.placeOrder.id] : []));
    const refused = responses.filter((response) => response.errors);
    // Orders may refuse some itself once it has seen the stock run out; nothing else is acceptable.
    expect(refused.flatMap(errorCodes).every((code) => code === 'INSUFFICIENT_STOCK')).toBe(true);
    expect(placed.length + refused.length).toBe(20);

    await waitForStock(client, productId, { available: 0, reserved: 5 });
    const statuses = await waitFor(
      async () => {
        const all = dataOf(await client.request(OrdersQuery, {}, { token: adminToken })).orders;
        const mine = all.filter((order) => placed.includes(order.id));
        const count = (status: string) => mine.filter((order) => order.status === status).length;
        // Every order answered by inventory: rejected, or reserved (CONFIRMED).
        return (
          count('REJECTED') + refused.length >= 15 &&
          count('CONFIRMED') >= 5 &&
          mine.map((order) => order.status)
        );
      },
      { timeoutMs: 30_000, message: '15 of the 20 orders to be rejected and 5 confirmed' },
    );
    expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(5);
    expect(statuses.filter((status) => status === 'REJECTED')).toHaveLength(15 - refused.length);

    const events = stockEvents.filter((event) => event.productId === productId);
    expect(events.filter((event) => event.reason === 'RESERVED')).toHaveLength(5);
    for (const event of events) {
      expect(event.available).toBeGreaterThanOrEqual(0);
      expect(event.available + event.reserved).toBe(5);
    }
  });
});

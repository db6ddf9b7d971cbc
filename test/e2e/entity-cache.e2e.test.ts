import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { RunningGateway } from '@commerce/gateway';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { createProduct, exampleAddress, login, placeOrder, signUpCustomer, stockOf } from './actors.js';
import { OrdersWithInventoryQuery, ProductInventoryQuery, ProductsQuery } from './operations.js';
import { AdjustStockMutation, StockUpdatedSubscription } from './subscription-operations.js';

// Sent as text (not in the typed client's manifest): an admin renaming a product.
const RenameProduct = parse(
  'mutation RenameProduct($id: ID!, $name: String!) { updateProduct(id: $id, input: { name: $name }) { id } }',
) as TypedDocumentNode<{ updateProduct: { id: string } }, { id: string; name: string }>;

type Topic = 'product.created' | 'product.updated' | 'product.deleted' | 'stock.updated';

/**
 * The gateway's event-driven entity cache (ENTITY_CACHE=on) on the real servers: cached reads save
 * the subgraph requests, and a change made through another gateway instance is read fresh as soon
 * as this instance has read its event.
 */
describe('entity cache', () => {
  let supergraph: Supergraph;
  let reader: RunningGateway;
  let cached: Client;
  let writer: Client;
  let adminToken: string;
  let productId: string;
  /** Invalidating events this instance has applied, per topic and product, since the start. */
  const applied = new Map<string, number>();
  const appliedOf = (topic: Topic, id: string): number => applied.get(`${topic} ${id}`) ?? 0;

  /** Resolves as soon as the reading instance has applied the next `topic` event of `id`. */
  function nextEvent(topic: Topic, id: string): Promise<void> {
    return new Promise((resolve) => {
      const stop = reader.entityCache.onInvalidated((appliedTopic, appliedId) => {
        if (appliedTopic !== topic || appliedId !== id) return;
        stop();
        resolve();
      });
    });
  }

  beforeAll(async () => {
    supergraph = await startSupergraph({ entityCache: true, gatewayInstances: 2 });
    const [first, second] = supergraph.gateways;
    if (!first || !second) throw new Error('two gateway instances expected');
    reader = first;
    reader.entityCache.onInvalidated((topic, id) => {
      applied.set(`${topic} ${id}`, appliedOf(topic, id) + 1);
    });
    cached = createClient(first.url);
    writer = createClient(second.url);
    adminToken = await login(writer, supergraph.admin.email, supergraph.admin.password);
    productId = await createProduct(writer, adminToken, {
      name: 'Cached Lamp',
      category: 'Cache',
      price: 20,
      quantity: 10,
    });
    await stockOf(writer, productId);
    const customer = await signUpCustomer(writer, 'entity-cache@example.com');
    dataOf(
      await placeOrder(writer, customer.token, {
        items: [{ productId, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    );
    // Quiet before the counted reads: this instance has read the stock row's creation and the reservation.
    await waitFor(() => appliedOf('stock.updated', productId) >= 2, {
      message: 'the reader to apply stock.updated CREATED and RESERVED',
    });
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  const orders = async (): Promise<{ name: string; available: number | undefined }> => {
    const { orders: all } = dataOf(await cached.request(OrdersWithInventoryQuery, {}, { token: adminToken }));
    const product = all[0]?.items[0]?.product;
    return { name: product?.name ?? '', available: product?.inventory?.available };
  };
  const listed = async (): Promise<string[]> =>
    dataOf(
      await cached.request(ProductsQuery, { filter: { category: 'Cache' }, first: 10 }),
    ).products.edges.map(({ node }) => node.name);
  const available = async (): Promise<number | undefined> =>
    dataOf(await cached.request(ProductInventoryQuery, { id: productId })).product?.inventory?.available;

  it('serves product and inventory entities again without asking their subgraphs', async () => {
    expect(await orders()).toEqual({ name: 'Cached Lamp', available: 9 });
    supergraph.requests.reset();
    expect(await orders()).toEqual({ name: 'Cached Lamp', available: 9 });
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 1, products: 0, inventory: 0 });
    // A lookup by id (a public root query of the products subgraph) and its stock: nothing asked again.
    expect(await available()).toBe(9);
    supergraph.requests.reset();
    expect(await available()).toBe(9);
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 0, products: 0, inventory: 0 });
  });

  it('reads new stock right after this gateway has read its stock.updated', async () => {
    const event = nextEvent('stock.updated', productId);
    // Through the other instance: this one learns of it from the event only.
    dataOf(await writer.request(AdjustStockMutation, { productId, delta: 5 }, { token: adminToken }));
    await event;
    supergraph.requests.reset();
    expect(await available()).toBe(14);
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 0, products: 0, inventory: 1 });
    expect(await available()).toBe(14);
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 0, products: 0, inventory: 1 });
  });

  it('reads the new name right after this gateway has read its product.updated, keeping the stock cached', async () => {
    await orders();
    expect(await listed()).toEqual(['Cached Lamp']);
    const event = nextEvent('product.updated', productId);
    dataOf(
      await writer.request(RenameProduct, { id: productId, name: 'Renamed Lamp' }, { token: adminToken }),
    );
    await event;
    supergraph.requests.reset();
    expect(await orders()).toEqual({ name: 'Renamed Lamp', available: 14 });
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 1, products: 1, inventory: 0 });
    // The listing too: any product event drops the cached listings.
    expect(await listed()).toEqual(['Renamed Lamp']);
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 1, products: 2, inventory: 0 });
  });

  it('reads its own write at once: a mutation through this instance drops its subgraph entries', async () => {
    expect(await available()).toBe(14);
    dataOf(await cached.request(AdjustStockMutation, { productId, delta: -4 }, { token: adminToken }));
    expect(await available()).toBe(10);
  });

  it('answers stock subscriptions with product fields from the cache and the stock from the event', async () => {
    const stock = cached.subscribe(StockUpdatedSubscription, { productId });
    try {
      await stock.connected;
      await waitFor(() => (reader.subscriptions?.subscriptionCount() ?? 0) === 1, {
        message: 'the subscription registered',
      });
      // This instance holds the stock row (available 10) in its cache: the events must not get it.
      expect(await available()).toBe(10);
      const inventory = createClient(supergraph.subgraphs.inventory.url);
      supergraph.requests.reset();
      for (const [delta, expected] of [
        [-1, 9],
        [-2, 7],
      ] as const) {
        dataOf(await inventory.request(AdjustStockMutation, { productId, delta }, { token: adminToken }));
        const result = await stock.waitFor((r) => r.data?.stockUpdated.available === expected);
        expect(result.data?.stockUpdated.product).toMatchObject({
          name: 'Renamed Lamp',
          inventory: { available: expected },
        });
      }
      // Names and prices: asked for the first event, then cached (stock.updated does not change them);
      // the stock row: carried whole by each event, never asked.
      expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 0, products: 1, inventory: 0 });
    } finally {
      await stock.close();
    }
  });
});

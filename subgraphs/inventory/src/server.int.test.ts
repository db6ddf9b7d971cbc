import { randomUUID } from 'node:crypto';
import { generateKeyPair, signAccessToken, type Role } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import {
  createEnvelope,
  parseEnvelope,
  type Envelope,
  type Handler,
  type TopicName,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import type { DataSource, Logger as TypeormLogger } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaBus, type EventRecorder, type TestKafkaBus } from '../../../test/harness/kafka.js';
import { createPostgresDatabase } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { createInventoryDataSource } from './adapters/typeorm/data-source.js';
import { TypeormInventoryStore } from './adapters/typeorm/inventory-store.js';
import { onOrderPlaced } from './consumers/order-placed.js';
import { StockService } from './domain/stock-service.js';
import { startInventorySubgraph } from './server.js';

const logger = createLogger('inventory-int-test');
const testOrigin = () => ({ source: 'test', correlationId: randomUUID() });

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}
interface Stock {
  productId: string;
  available: number;
  reserved: number;
  reorderThreshold: number;
  lowStock: boolean;
  updatedAt: string;
  version: number;
}

/** Counts SQL statements, to prove batching. */
class QueryCounter implements TypeormLogger {
  readonly queries: string[] = [];
  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

let database: { url: string; drop(): Promise<void> };
let dataSource: DataSource;
let kafka: TestKafkaBus;
let recorder: EventRecorder;
let subgraph: RunningSubgraph;
let jwt: JwtConfig;
const counter = new QueryCounter();

beforeAll(async () => {
  database = await createPostgresDatabase('inventory_int');
  dataSource = await createInventoryDataSource(database.url).initialize();
  dataSource.setOptions({ logger: counter });
  kafka = await createTestKafkaBus('inventory-int', logger);
  recorder = await kafka.record([
    'stock.updated',
    'inventory.low_stock',
    'inventory.reserved',
    'inventory.reservation_failed',
  ]);
  jwt = { ...generateKeyPair(), accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 };
  subgraph = await startInventorySubgraph({ dataSource, bus: kafka.bus, jwt, logger });
});

afterAll(async () => {
  await subgraph?.close();
  await kafka?.close();
  await dataSource?.destroy();
  await database?.drop();
});

const stockUpdates = () => recorder.of('stock.updated').map(({ event }) => event);
const lowStockAlerts = () => recorder.of('inventory.low_stock').map(({ event }) => event);
const reservationFailures = () => recorder.of('inventory.reservation_failed').map(({ event }) => event);

async function publish<T extends TopicName>(
  topic: T,
  key: string,
  payload: Topics[T],
): Promise<Envelope<Topics[T]>> {
  const envelope = createEnvelope(topic, payload, testOrigin());
  await kafka.bus.publish(topic, key, envelope);
  return envelope;
}

/** Resolves once the inventory consumers have handled (and committed) the event. */
async function handled(event: Envelope<unknown>): Promise<void> {
  await waitFor(
    async () => {
      const rows: unknown[] = await dataSource.query('SELECT 1 FROM processed_event WHERE event_id = $1', [
        event.metadata.eventId,
      ]);
      return rows.length > 0;
    },
    { message: `event ${event.metadata.eventType} ${event.metadata.eventId} handled` },
  );
}

async function createProduct(quantity = 50, reorderThreshold = 5): Promise<string> {
  const productId = randomUUID();
  const event = await publish('product.created', productId, {
    productId,
    name: 'Widget',
    description: null,
    category: 'tools',
    price: 9.99,
    quantity,
    reorderThreshold,
  });
  await handled(event);
  return productId;
}

async function placeOrder(items: { productId: string; quantity: number }[], orderId = randomUUID()) {
  const event = await publish('order.placed', orderId, {
    orderId,
    userId: 'u1',
    items: items.map((item) => ({ ...item, unitPrice: 1 })),
    total: items.reduce((sum, item) => sum + item.quantity, 0),
    createdAt: new Date().toISOString(),
    version: 1,
  });
  await handled(event);
  return { orderId, event };
}

async function cancelOrder(orderId: string, items: { productId: string; quantity: number }[]) {
  await handled(await publish('order.cancelled', orderId, { orderId, userId: 'u1', items, version: 3 }));
}

/** The order's status change as the orders subgraph publishes it. */
async function changeStatus(
  orderId: string,
  previousStatus: Topics['order.status_changed']['status'],
  status: Topics['order.status_changed']['status'],
  items: { productId: string; quantity: number }[],
) {
  await handled(
    await publish('order.status_changed', orderId, {
      orderId,
      userId: 'u1',
      previousStatus,
      status,
      reason: 'test',
      items,
      version: 2,
    }),
  );
}

async function reservationStatus(orderId: string): Promise<string | undefined> {
  const rows: { status: string }[] = await dataSource.query(
    'SELECT status FROM reservation WHERE order_id = $1',
    [orderId],
  );
  return rows[0]?.status;
}

async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  role?: Role,
): Promise<GraphqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (role) {
    const token = signAccessToken(
      { userId: randomUUID(), email: `${role}@example.com`, role },
      privateKey(),
      60,
    );
    headers['authorization'] = `Bearer ${token}`;
  }
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphqlResponse<T>;
}

function privateKey(): string {
  if (!jwt.privateKey) throw new Error('test key pair has no private key');
  return jwt.privateKey;
}

/** The inventory consumers' dependencies, for handing deliveries to a handler directly. */
function directDeps() {
  const stock = new StockService(new TypeormInventoryStore(dataSource), { notify: () => undefined });
  return { stock, consumer: 'inventory', logger };
}

/** An order.placed for one unit of the product, as the orders subgraph publishes it. */
function oneUnitOrder(productId: string): Envelope<Topics['order.placed']> {
  return createEnvelope(
    'order.placed',
    {
      orderId: randomUUID(),
      userId: 'u1',
      items: [{ productId, quantity: 1, unitPrice: 1 }],
      total: 1,
      createdAt: new Date().toISOString(),
      version: 1,
    },
    testOrigin(),
  );
}

/** Hands an order.placed straight to a handler, as the consumer delivers it. */
function deliver(handler: Handler<Topics['order.placed']>, order: Envelope<Topics['order.placed']>) {
  return handler(order, {
    topic: 'order.placed',
    partition: 0,
    offset: '0',
    key: order.payload.orderId,
    attempt: 1,
  });
}

const stockFields = 'productId available reserved reorderThreshold lowStock updatedAt version';

async function stock(productId: string): Promise<Stock | null> {
  const result = await graphql<{ inventoryItem: Stock | null }>(
    `query ($id: ID!) { inventoryItem(productId: $id) { ${stockFields} } }`,
    { id: productId },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.inventoryItem ?? null;
}

const updatesOf = (productId: string) =>
  stockUpdates().filter((event) => event.payload.productId === productId);
const alertsOf = (productId: string) =>
  lowStockAlerts().filter((event) => event.payload.productId === productId);

describe('inventory subgraph', () => {
  it('product.created creates the stock row and announces it with stock.updated', async () => {
    const productId = randomUUID();
    const created = await publish('product.created', productId, {
      productId,
      name: 'Lamp',
      description: 'A lamp',
      category: 'home',
      price: 20,
      quantity: 50,
      reorderThreshold: 5,
    });
    await handled(created);
    expect(await stock(productId)).toMatchObject({
      productId,
      available: 50,
      reserved: 0,
      reorderThreshold: 5,
      lowStock: false,
      version: 1,
    });
    const [update] = await waitFor(() => updatesOf(productId).length === 1 && updatesOf(productId));
    expect(update?.payload).toMatchObject({
      available: 50,
      reserved: 0,
      reason: 'CREATED',
      orderId: null,
      lowStock: false,
      version: 1,
    });
    expect(update?.metadata).toMatchObject({
      source: 'inventory',
      correlationId: created.metadata.correlationId,
      causationId: created.metadata.eventId,
    });
    expect(alertsOf(productId)).toEqual([]);
  });

  it('every change moves inventoryItem.version on by one, and stock.updated carries it', async () => {
    const productId = await createProduct(10, 2);
    const first = [{ productId, quantity: 3 }];
    const { orderId } = await placeOrder(first);
    await cancelOrder(orderId, first);
    const second = [{ productId, quantity: 1 }];
    const shipped = await placeOrder(second);
    await changeStatus(shipped.orderId, 'PAID', 'SHIPPED', second);
    const adjusted = await graphql<{ adjustStock: Stock }>(
      `
        mutation ($id: ID!) {
          adjustStock(productId: $id, delta: -8) {
            available
            version
          }
        }
      `,
      { id: productId },
      'ADMIN',
    );
    expect(adjusted.data?.adjustStock).toEqual({ available: 1, version: 6 });
    expect(await stock(productId)).toMatchObject({ available: 1, reserved: 0, version: 6 });
    const updates = await waitFor(() => updatesOf(productId).length === 6 && updatesOf(productId));
    expect(updates.map(({ payload }) => [payload.reason, payload.version])).toEqual([
      ['CREATED', 1],
      ['RESERVED', 2],
      ['RELEASED', 3],
      ['RESERVED', 4],
      ['CONSUMED', 5],
      ['ADJUSTED', 6],
    ]);
    // Stock fell to 1 of threshold 2 on the adjustment: its alert names that change's version.
    expect(await waitFor(() => alertsOf(productId)[0])).toMatchObject({
      payload: { priority: 'MEDIUM', version: 6 },
    });
  });

  it('50 concurrent reservations and adjustments of one product get versions 2..51, each once, in order', async () => {
    const productId = await createProduct(100, 0);
    const handler = onOrderPlaced(directDeps());
    const reserve = () => deliver(handler, oneUnitOrder(productId));
    const adjust = async () => {
      const result = await graphql(
        `
          mutation ($id: ID!) {
            adjustStock(productId: $id, delta: -1) {
              version
            }
          }
        `,
        { id: productId },
        'ADMIN',
      );
      expect(result.errors).toBeUndefined();
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? reserve() : adjust())));

    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 25, version: 51 });
    const stored: { envelope: string }[] = await dataSource.query(
      `SELECT envelope FROM outbox_event WHERE topic = 'stock.updated' AND key = $1 ORDER BY id`,
      [productId],
    );
    const all = Array.from({ length: 51 }, (_, i) => i + 1);
    // Stored in commit order, which the row lock makes version order.
    expect(
      stored.map((row) => parseEnvelope('stock.updated', JSON.parse(row.envelope)).payload.version),
    ).toEqual(all);
    const published = await waitFor(() => updatesOf(productId).length >= 51 && updatesOf(productId));
    expect(published.map(({ payload }) => payload.version)).toEqual(all);
  });

  it('a product without a stock row reads as null inventory', async () => {
    expect(await stock(randomUUID())).toBeNull();
  });

  it('order.placed for one unit leaves 49 available and 1 reserved, announced per product', async () => {
    const productId = await createProduct();
    const { orderId } = await placeOrder([{ productId, quantity: 1 }]);
    expect(await stock(productId)).toMatchObject({ available: 49, reserved: 1 });
    expect(await reservationStatus(orderId)).toBe('RESERVED');
    const reserved = await waitFor(() =>
      updatesOf(productId).find((event) => event.payload.reason === 'RESERVED'),
    );
    expect(reserved.payload).toMatchObject({ available: 49, reserved: 1, orderId });
  });

  it('announces a reservation of every item with inventory.reserved (key: the order id), once', async () => {
    const [a, b] = [await createProduct(), await createProduct()];
    const items = [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 1 },
      { productId: a, quantity: 1 },
    ];
    const { orderId, event } = await placeOrder(items);
    const announced = await recorder.waitFor(
      'inventory.reserved',
      (r) => r.event.payload.orderId === orderId,
    );
    expect(announced.key).toBe(orderId);
    expect(announced.event.payload.items).toEqual(
      [
        { productId: a, quantity: 3 },
        { productId: b, quantity: 1 },
      ].sort((x, y) => (x.productId < y.productId ? -1 : 1)),
    );
    expect(announced.event.metadata).toMatchObject({
      source: 'inventory',
      causationId: event.metadata.eventId,
      correlationId: event.metadata.correlationId,
    });
    // A redelivery, then a re-published placement (handled after it: same key, same partition),
    // reserve nothing more and announce nothing more; a failed reservation announces none.
    await kafka.bus.publish('order.placed', orderId, event);
    await handled(await publish('order.placed', orderId, event.payload));
    const failedOrder = await placeOrder([{ productId: a, quantity: 1000 }]);
    expect(await stock(a)).toMatchObject({ available: 47, reserved: 3 });
    const announcements: { key: string }[] = await dataSource.query(
      `SELECT key FROM outbox_event WHERE topic = 'inventory.reserved' AND key IN ($1, $2)`,
      [orderId, failedOrder.orderId],
    );
    expect(announcements).toEqual([{ key: orderId }]);
  });

  it('an expired order’s stock returns to available in full, once', async () => {
    const productId = await createProduct();
    const items = [{ productId, quantity: 3 }];
    const { orderId } = await placeOrder(items);
    expect(await stock(productId)).toMatchObject({ available: 47, reserved: 3 });
    await changeStatus(orderId, 'CONFIRMED', 'EXPIRED', items);
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
    expect(await reservationStatus(orderId)).toBe('RELEASED');
    const released = await waitFor(() =>
      updatesOf(productId).find((event) => event.payload.reason === 'RELEASED'),
    );
    expect(released.payload).toMatchObject({ available: 50, reserved: 0, orderId });
    await changeStatus(orderId, 'CONFIRMED', 'EXPIRED', items);
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
  });

  it('a late order.placed for an order that expired before inventory saw it reserves nothing', async () => {
    const productId = await createProduct();
    const orderId = randomUUID();
    const items = [{ productId, quantity: 2 }];
    await changeStatus(orderId, 'PENDING', 'EXPIRED', items);
    expect(await reservationStatus(orderId)).toBe('CANCELLED_EARLY');
    await placeOrder(items, orderId);
    expect(await reservationStatus(orderId)).toBe('CANCELLED_EARLY');
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
    // Nothing was stored to publish about this order: no stock.updated, no inventory.reserved.
    const mentions: unknown[] = await dataSource.query(
      `SELECT topic FROM outbox_event WHERE envelope LIKE '%' || $1 || '%'`,
      [orderId],
    );
    expect(mentions).toEqual([]);
  });

  it('an order exceeding stock fails its reservation and moves no stock', async () => {
    const productId = await createProduct();
    const { orderId } = await placeOrder([{ productId, quantity: 51 }]);
    const failure = await waitFor(() =>
      reservationFailures().find((event) => event.payload.orderId === orderId),
    );
    expect(failure.payload.items).toEqual([{ productId, requested: 51, available: 50 }]);
    expect(failure.payload.reason).toMatch(/insufficient stock/i);
    expect(await reservationStatus(orderId)).toBe('FAILED');
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
  });

  it('a multi-item order with one short item reserves none of its items', async () => {
    const plenty = await createProduct(50);
    const scarce = await createProduct(2);
    const unknown = randomUUID();
    const { orderId } = await placeOrder([
      { productId: plenty, quantity: 3 },
      { productId: scarce, quantity: 3 },
    ]);
    const failure = await waitFor(() =>
      reservationFailures().find((event) => event.payload.orderId === orderId),
    );
    expect(failure.payload.items).toEqual([{ productId: scarce, requested: 3, available: 2 }]);
    expect(await stock(plenty)).toMatchObject({ available: 50, reserved: 0 });
    expect(await stock(scarce)).toMatchObject({ available: 2, reserved: 0 });

    const withUnknown = await placeOrder([
      { productId: plenty, quantity: 1 },
      { productId: unknown, quantity: 1 },
    ]);
    const unknownFailure = await waitFor(() =>
      reservationFailures().find((event) => event.payload.orderId === withUnknown.orderId),
    );
    expect(unknownFailure.payload.items).toEqual([{ productId: unknown, requested: 1, available: 0 }]);
    expect(await stock(plenty)).toMatchObject({ available: 50, reserved: 0 });
  });

  it('order.cancelled returns reserved stock to available in full', async () => {
    const productId = await createProduct();
    const items = [{ productId, quantity: 3 }];
    const { orderId } = await placeOrder(items);
    expect(await stock(productId)).toMatchObject({ available: 47, reserved: 3 });
    await cancelOrder(orderId, items);
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
    expect(await reservationStatus(orderId)).toBe('RELEASED');
    const released = await waitFor(() =>
      updatesOf(productId).find((event) => event.payload.reason === 'RELEASED'),
    );
    expect(released.payload).toMatchObject({ available: 50, reserved: 0, orderId });

    // A second cancel (another event for the same order) releases nothing more.
    await cancelOrder(orderId, items);
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
  });

  it('a cancel that arrives before the order leaves stock untouched when the order comes', async () => {
    const productId = await createProduct();
    const orderId = randomUUID();
    const items = [{ productId, quantity: 4 }];
    await cancelOrder(orderId, items);
    expect(await reservationStatus(orderId)).toBe('CANCELLED_EARLY');
    await placeOrder(items, orderId);
    expect(await reservationStatus(orderId)).toBe('CANCELLED_EARLY');
    expect(await stock(productId)).toMatchObject({ available: 50, reserved: 0 });
  });

  it('shipping an order consumes its reserved stock; a later delivery changes nothing', async () => {
    const productId = await createProduct();
    const items = [{ productId, quantity: 2 }];
    const { orderId } = await placeOrder(items);
    await changeStatus(orderId, 'CONFIRMED', 'PAID', items);
    expect(await stock(productId)).toMatchObject({ available: 48, reserved: 2 });
    await changeStatus(orderId, 'PAID', 'SHIPPED', items);
    expect(await stock(productId)).toMatchObject({ available: 48, reserved: 0 });
    expect(await reservationStatus(orderId)).toBe('CONSUMED');
    const consumed = await waitFor(() =>
      updatesOf(productId).find((event) => event.payload.reason === 'CONSUMED'),
    );
    expect(consumed.payload).toMatchObject({ available: 48, reserved: 0, orderId });

    await changeStatus(orderId, 'SHIPPED', 'DELIVERED', items);
    await cancelOrder(orderId, items);
    expect(await stock(productId)).toMatchObject({ available: 48, reserved: 0 });
  });

  it('a duplicate delivery of the same order.placed reserves once', async () => {
    const productId = await createProduct();
    const { orderId, event } = await placeOrder([{ productId, quantity: 1 }]);
    await kafka.bus.publish('order.placed', orderId, event);
    // One key is one partition, delivered in order: once a later message of this order (a
    // re-published order.placed, which reserves nothing either) is handled, the duplicate has been too.
    await handled(await publish('order.placed', orderId, event.payload));
    await placeOrder([{ productId, quantity: 1 }]);
    expect(await stock(productId)).toMatchObject({ available: 48, reserved: 2 });

    // The same event delivered concurrently (two consumers racing after a rebalance) also counts once.
    const handler = onOrderPlaced(directDeps());
    const concurrent = createEnvelope(
      'order.placed',
      { ...event.payload, orderId: randomUUID() },
      testOrigin(),
    );
    await Promise.all([
      deliver(handler, concurrent),
      deliver(handler, concurrent),
      deliver(handler, concurrent),
    ]);
    expect(await stock(productId)).toMatchObject({ available: 47, reserved: 3 });
  });

  it('20 concurrent one-unit reservations against 5 in stock reserve exactly 5 and never go negative', async () => {
    const productId = await createProduct(5, 0);
    const handler = onOrderPlaced(directDeps());
    const orders = Array.from({ length: 20 }, () => oneUnitOrder(productId));
    await Promise.all(orders.map((order) => deliver(handler, order)));

    expect(await stock(productId)).toMatchObject({ available: 0, reserved: 5 });
    const statuses: { status: string; count: string }[] = await dataSource.query(
      `SELECT status, count(*) AS count FROM reservation WHERE order_id = ANY($1) GROUP BY status ORDER BY status`,
      [orders.map((order) => order.payload.orderId)],
    );
    expect(statuses).toEqual([
      { status: 'FAILED', count: '15' },
      { status: 'RESERVED', count: '5' },
    ]);
  });

  it('the database refuses negative stock whatever the code does', async () => {
    const productId = await createProduct(1);
    await expect(
      dataSource.query('UPDATE inventory_item SET available = available - 2 WHERE product_id = $1', [
        productId,
      ]),
    ).rejects.toThrow(/inventory_item_available_non_negative/);
    await expect(
      dataSource.query('UPDATE inventory_item SET reserved = reserved - 1 WHERE product_id = $1', [
        productId,
      ]),
    ).rejects.toThrow(/inventory_item_reserved_non_negative/);
  });

  it('stock falling 10 -> 4 -> 2 -> 0 (threshold 10) raises MEDIUM, HIGH, CRITICAL once each', async () => {
    const productId = await createProduct(10, 10);
    await placeOrder([{ productId, quantity: 6 }]);
    await placeOrder([{ productId, quantity: 2 }]);
    await placeOrder([{ productId, quantity: 2 }]);
    await waitFor(() => alertsOf(productId).some((event) => event.payload.priority === 'CRITICAL'));
    expect(alertsOf(productId).map(({ payload }) => [payload.priority, payload.available])).toEqual([
      ['MEDIUM', 10],
      ['HIGH', 4],
      ['CRITICAL', 0],
    ]);
    expect(alertsOf(productId)[0]?.payload.reorderThreshold).toBe(10);
    expect(await stock(productId)).toMatchObject({ available: 0, reserved: 10, lowStock: true });
  });

  it('a recovery raises no alert, and a later fall alerts again', async () => {
    const productId = await createProduct(0, 4);
    await waitFor(() => alertsOf(productId).length === 1);
    const adjust = (delta: number) =>
      graphql<{ adjustStock: Stock }>(
        `
          mutation ($id: ID!, $delta: Int!) {
            adjustStock(productId: $id, delta: $delta, reason: "count") {
              available
            }
          }
        `,
        { id: productId, delta },
        'ADMIN',
      );
    expect((await adjust(20)).data?.adjustStock.available).toBe(20);
    expect((await adjust(-20)).data?.adjustStock.available).toBe(0);
    await waitFor(() => alertsOf(productId).length === 2);
    expect(alertsOf(productId).map(({ payload }) => payload.priority)).toEqual(['CRITICAL', 'CRITICAL']);
  });

  describe('adjustStock', () => {
    const mutation = `mutation ($id: ID!, $delta: Int!) {
      adjustStock(productId: $id, delta: $delta, reason: "recount") { ${stockFields} }
    }`;

    it('requires a signed-in ADMIN', async () => {
      const productId = await createProduct();
      const anonymous = await graphql(mutation, { id: productId, delta: 1 });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const customer = await graphql(mutation, { id: productId, delta: 1 }, 'CUSTOMER');
      expect(customer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await stock(productId)).toMatchObject({ available: 50 });
    });

    it('lets an ADMIN add or remove stock and announces it as ADJUSTED', async () => {
      const productId = await createProduct();
      const result = await graphql<{ adjustStock: Stock }>(mutation, { id: productId, delta: -48 }, 'ADMIN');
      expect(result.errors).toBeUndefined();
      expect(result.data?.adjustStock).toMatchObject({
        productId,
        available: 2,
        reserved: 0,
        lowStock: true,
      });
      const adjusted = await waitFor(() =>
        updatesOf(productId).find((event) => event.payload.reason === 'ADJUSTED'),
      );
      expect(adjusted.payload).toMatchObject({ available: 2, orderId: null, lowStock: true });
      expect(adjusted.metadata.causationId).toBeNull();
      const alert = await waitFor(() => alertsOf(productId)[0]);
      // Threshold 5: 2 is below half of it.
      expect(alert.payload).toMatchObject({ priority: 'HIGH', available: 2 });
    });

    it('refuses to take available stock below zero with INSUFFICIENT_STOCK', async () => {
      const productId = await createProduct();
      const result = await graphql(mutation, { id: productId, delta: -51 }, 'ADMIN');
      expect(result.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_STOCK');
      expect(await stock(productId)).toMatchObject({ available: 50 });
    });

    it('answers NOT_FOUND for a product without stock', async () => {
      const result = await graphql(mutation, { id: randomUUID(), delta: 1 }, 'ADMIN');
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  it('Product.inventory loads a batch of products with one SQL query', async () => {
    const ids = [await createProduct(7), await createProduct(8), await createProduct(9), randomUUID()];
    const isStockSelect = (sql: string) => /^SELECT[\s\S]*FROM "inventory_item"/i.test(sql.trim());
    counter.queries.length = 0;
    const result = await graphql<{
      _entities: ({ id: string; inventory: { available: number } | null } | null)[];
    }>(
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Product {
              id
              inventory {
                available
              }
            }
          }
        }
      `,
      { representations: ids.map((id) => ({ __typename: 'Product', id })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: ids[0], inventory: { available: 7 } },
      { id: ids[1], inventory: { available: 8 } },
      { id: ids[2], inventory: { available: 9 } },
      { id: ids[3], inventory: null },
    ]);
    expect(counter.queries.filter(isStockSelect)).toHaveLength(1);
  });

  it('publishes every event with its aggregate id as the Kafka key', async () => {
    // Starts below its threshold: stock.updated and inventory.low_stock; an order for more fails.
    const productId = await createProduct(3, 5);
    const { orderId } = await placeOrder([{ productId, quantity: 4 }]);
    const ofProduct = ({ event }: { event: Envelope<{ productId: string }> }) =>
      event.payload.productId === productId;
    expect((await recorder.waitFor('stock.updated', ofProduct)).key).toBe(productId);
    expect((await recorder.waitFor('inventory.low_stock', ofProduct)).key).toBe(productId);
    const failure = await recorder.waitFor(
      'inventory.reservation_failed',
      ({ event }) => event.payload.orderId === orderId,
    );
    expect(failure.key).toBe(orderId);

    // And so did every event published by the tests above.
    for (const { key, event } of recorder.of('stock.updated')) expect(key).toBe(event.payload.productId);
    for (const { key, event } of recorder.of('inventory.low_stock'))
      expect(key).toBe(event.payload.productId);
    for (const { key, event } of recorder.of('inventory.reservation_failed'))
      expect(key).toBe(event.payload.orderId);
    expect(recorder.of('inventory.reserved').length).toBeGreaterThan(0);
    for (const { key, event } of recorder.of('inventory.reserved')) expect(key).toBe(event.payload.orderId);
  });

  it('reports health of the database and the outbox relay', async () => {
    expect(await subgraph.health()).toEqual({
      status: 'ok',
      checks: { database: 'ok', outbox: 'ok', consumers: 'ok' },
    });
  });
});

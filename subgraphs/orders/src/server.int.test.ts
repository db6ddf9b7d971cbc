import { randomUUID } from 'node:crypto';
import { generateKeyPair, signAccessToken, type Role } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import {
  createEnvelope,
  createKafkaClient,
  type Envelope,
  type TopicName,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaBus, type EventRecorder, type TestKafkaBus } from '../../../test/harness/kafka.js';
import { createMongoDatabase, kafkaBrokers } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { ensureOrdersIndexes } from './adapters/mongo/indexes.js';
import { maxProcessedEventIds } from './adapters/mongo/processed-events.js';
import { startOrdersSubgraph } from './server.js';

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}
interface GraphqlResponse<T> {
  data?: T | null;
  errors?: GraphqlError[];
}
interface OrderView {
  id: string;
  user: { id: string };
  items: { product: { id: string }; productName: string; quantity: number; unitPrice: number }[];
  total: number;
  status: string;
  rejectionReason: string | null;
  version: number;
  history: { status: string; at: string; reason: string }[];
  payments: { id: string; amount: number; status: string; failureReason: string | null; createdAt: string }[];
  shippingAddress: { line1: string; line2: string | null; city: string; country: string };
  createdAt: string;
  updatedAt: string;
}

/** Stored documents, as far as these tests look into them. */
interface StoredCatalog {
  _id: string;
  name: string | null;
  priceCents: number | null;
  deleted: boolean;
  available: number | null;
  processedEventIds: string[];
}
interface StoredOrder {
  _id: string;
  status: string;
  pendingEvents: unknown[];
  processedEventIds: string[];
}

const orderFields = `id user { id } items { product { id } productName quantity unitPrice } total status rejectionReason
  version history { status at reason } payments { id amount status failureReason createdAt }
  shippingAddress { line1 line2 city country } createdAt updatedAt`;
const placeOrderMutation = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { ${orderFields} } }`;
const updateStatusMutation = `mutation Update($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { ${orderFields} } }`;
const cancelMutation = `mutation Cancel($id: ID!) { cancelOrder(id: $id) { ${orderFields} } }`;
const payMutation = `mutation Pay($id: ID!, $token: String!) {
  payOrder(orderId: $id, payment: { method: CARD, token: $token }) { ${orderFields} } }`;
const ordersQuery = `{ orders { ${orderFields} } }`;
const orderQuery = `query One($id: ID!) { order(id: $id) { ${orderFields} } }`;
const entitiesQuery = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Order { id total user { id } }
    ... on User { id orders { id createdAt } }
  }
}`;

const address = {
  line1: '1 Main St',
  line2: null,
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  country: 'US',
};
const phone = randomUUID();
const laptop = randomUUID();
const scarce = randomUUID();
const deleted = randomUUID();
/** The topics the orders subgraph publishes (key: the order id). */
const orderTopics = [
  'order.placed',
  'order.status_changed',
  'order.cancelled',
  'payment.succeeded',
  'payment.failed',
] as const;
/** The consumer group the subgraph's handlers join (its default). */
const consumerGroup = 'orders';

describe('orders subgraph (FerretDB, Kafka)', () => {
  const logger = createLogger('orders-test');
  let database: { url: string; dbName: string; drop(): Promise<void> };
  let client: MongoClient;
  let db: Db;
  let kafka: TestKafkaBus;
  let kafkaAdmin: ReturnType<ReturnType<typeof createKafkaClient>['admin']>;
  let recorder: EventRecorder;
  let subgraph: RunningSubgraph;
  let keys: { publicKey: string; privateKey: string };
  /** find commands on the orders collection, except the outbox relay's polling. */
  let orderFinds: CommandStartedEvent[] = [];

  const customerA = { userId: randomUUID(), email: 'a@example.com', role: 'CUSTOMER' as Role };
  const customerB = { userId: randomUUID(), email: 'b@example.com', role: 'CUSTOMER' as Role };
  const admin = { userId: randomUUID(), email: 'admin@example.com', role: 'ADMIN' as Role };
  const token = (viewer: { userId: string; email: string; role: Role }): string =>
    signAccessToken(viewer, keys.privateKey, 900);

  async function gql<T>(
    query: string,
    variables: Record<string, unknown> = {},
    bearer?: string,
  ): Promise<GraphqlResponse<T>> {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlResponse<T>;
  }

  const codes = (response: GraphqlResponse<unknown>): (string | undefined)[] =>
    (response.errors ?? []).map((error) => error.extensions?.code);

  async function publish<T extends TopicName>(
    topic: T,
    key: string,
    payload: Topics[T],
  ): Promise<Envelope<Topics[T]>> {
    const envelope = createEnvelope(topic, payload, { source: 'test', correlationId: randomUUID() });
    await kafka.bus.publish(topic, key, envelope);
    return envelope;
  }

  const eventsOf = <T extends TopicName>(topic: T): Envelope<Topics[T]>[] =>
    recorder.of(topic).map((recorded) => recorded.event);

  /** How many messages `topic` (of this run's prefix) holds, over every partition. */
  async function messageCount(topic: string): Promise<number> {
    const partitions = await kafkaAdmin.fetchTopicOffsets(`${kafka.topicPrefix}${topic}`);
    return partitions.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  }

  /** Waits until the recorder has seen every message published on `topic` so far. */
  async function recorderCaughtUp(topic: TopicName): Promise<void> {
    await waitFor(async () => recorder.of(topic).length >= (await messageCount(topic)), {
      message: `the recorder to see every ${topic}`,
    });
  }

  /**
   * Waits until the subgraph's handlers have committed every message on `topic`: each one handled
   * (or dead-lettered). KafkaEventBus names the group of one (group, topic) `<prefix><group>.<topic>`.
   */
  async function handledAll(topic: TopicName): Promise<void> {
    const physical = `${kafka.topicPrefix}${topic}`;
    const groupId = `${kafka.topicPrefix}${consumerGroup}.${topic}`;
    await waitFor(
      async () => {
        const ends = await kafkaAdmin.fetchTopicOffsets(physical);
        const [committed] = await kafkaAdmin.fetchOffsets({ groupId, topics: [physical] });
        return ends.every(({ partition, high, low }) => {
          const offset = committed?.partitions.find((each) => each.partition === partition)?.offset;
          return high === low || Number(offset ?? -1) >= Number(high);
        });
      },
      { message: `${groupId} to commit every message` },
    );
  }

  async function place(
    viewer: { userId: string; email: string; role: Role },
    items: { productId: string; quantity: number }[],
  ) {
    const response = await gql<{ placeOrder: OrderView }>(
      placeOrderMutation,
      { input: { items, shippingAddress: address } },
      token(viewer),
    );
    expect(response.errors).toBeUndefined();
    const order = response.data?.placeOrder;
    if (!order) throw new Error('placeOrder returned no order');
    return order;
  }

  const view = async (orderId: string): Promise<OrderView | undefined> =>
    (await gql<{ order: OrderView }>(orderQuery, { id: orderId }, token(admin))).data?.order;

  /** Inventory's answer to the placement: every item reserved. Resolves once the order is CONFIRMED. */
  async function confirm(
    order: Pick<OrderView, 'id' | 'items'>,
  ): Promise<Envelope<Topics['inventory.reserved']>> {
    const items = order.items.map((item) => ({ productId: item.product.id, quantity: item.quantity }));
    const event = await publish('inventory.reserved', order.id, { orderId: order.id, items });
    await waitFor(async () => (await view(order.id))?.status === 'CONFIRMED', {
      message: `order ${order.id} to be CONFIRMED`,
    });
    return event;
  }

  const pay = (orderId: string, tokenName: string, viewer = customerA) =>
    gql<{ payOrder: OrderView }>(payMutation, { id: orderId, token: tokenName }, token(viewer));

  const catalogEntry = (productId: string) =>
    db.collection<StoredCatalog>('catalog').findOne({ _id: productId });
  const storedOrder = (orderId: string) => db.collection<StoredOrder>('orders').findOne({ _id: orderId });

  beforeAll(async () => {
    keys = generateKeyPair();
    const jwt: JwtConfig = {
      publicKey: keys.publicKey,
      privateKey: null,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 3600,
    };
    database = await createMongoDatabase('orders_it');
    client = await new MongoClient(database.url, { monitorCommands: true }).connect();
    client.on('commandStarted', (event) => {
      const command = event.command as { find?: unknown; filter?: Record<string, unknown> };
      if (command.find === 'orders' && !(command.filter && 'pendingEvents.0' in command.filter))
        orderFinds.push(event);
    });
    db = client.db(database.dbName);
    await ensureOrdersIndexes(db);
    kafka = await createTestKafkaBus('orders_it', logger);
    kafkaAdmin = createKafkaClient('orders-it-admin', kafkaBrokers(), logger).admin();
    await kafkaAdmin.connect();
    recorder = await kafka.record(orderTopics);
    // The caps have a test of their own (expiry.int.test.ts): here customers keep many orders open.
    const orderPolicy = { maxOpenOrdersPerCustomer: 1000 };
    subgraph = await startOrdersSubgraph({ db, bus: kafka.bus, jwt, logger, consumerGroup, orderPolicy });

    const product = { description: null, category: 'electronics', quantity: 50, reorderThreshold: 5 };
    await publish('product.created', phone, { ...product, productId: phone, name: 'Phone', price: 249.99 });
    await publish('product.created', laptop, {
      ...product,
      productId: laptop,
      name: 'Laptop',
      price: 179.99,
    });
    await publish('product.created', scarce, {
      ...product,
      productId: scarce,
      name: 'Rare vinyl',
      price: 30,
      quantity: 2,
    });
    await publish('product.created', deleted, {
      ...product,
      productId: deleted,
      name: 'Old thing',
      price: 1,
    });
    await publish('product.deleted', deleted, { productId: deleted });
    const stock = {
      reserved: 0,
      reorderThreshold: 5,
      lowStock: false,
      reason: 'CREATED' as const,
      orderId: null,
    };
    await publish('stock.updated', scarce, {
      ...stock,
      productId: scarce,
      available: 2,
      updatedAt: new Date().toISOString(),
      version: 1,
    });
    await waitFor(async () => (await catalogEntry(deleted))?.deleted === true, {
      message: 'product.deleted applied',
    });
    await waitFor(async () => (await catalogEntry(scarce))?.available === 2, {
      message: 'stock.updated applied',
    });
    await waitFor(async () => (await catalogEntry(laptop))?.priceCents === 17999, {
      message: 'catalog filled',
    });
  });

  afterAll(async () => {
    await subgraph?.close();
    await kafkaAdmin?.disconnect();
    await kafka?.close();
    await client?.close();
    await database?.drop();
  });

  describe('placeOrder', () => {
    it('prices the order from the catalog, merges lines of one product, and totals exactly (609.97)', async () => {
      const order = await place(customerA, [
        { productId: phone, quantity: 1 },
        { productId: laptop, quantity: 1 },
        { productId: laptop, quantity: 1 },
      ]);
      expect(order.status).toBe('PENDING');
      expect(order.version).toBe(1);
      expect(order.history).toEqual([{ status: 'PENDING', at: order.createdAt, reason: 'placed' }]);
      expect(order.payments).toEqual([]);
      expect(order.user.id).toBe(customerA.userId);
      expect(order.items).toEqual([
        { product: { id: phone }, productName: 'Phone', quantity: 1, unitPrice: 249.99 },
        { product: { id: laptop }, productName: 'Laptop', quantity: 2, unitPrice: 179.99 },
      ]);
      expect(order.total).toBe(609.97);
      expect(order.shippingAddress).toEqual({
        line1: '1 Main St',
        line2: null,
        city: 'Springfield',
        country: 'US',
      });
    });

    it('gives the client no way to send a price', async () => {
      const before = await db.collection('orders').countDocuments();
      const response = await gql(
        `mutation { placeOrder(input: { items: [{ productId: "${phone}", quantity: 1, unitPrice: 0.01 }],
          shippingAddress: { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701", country: "US" } }) { id } }`,
        {},
        token(customerA),
      );
      // The schema has no price input: the operation fails validation (its code is the shared formatError's business).
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.length).toBe(1);
      expect(await db.collection('orders').countDocuments()).toBe(before);
    });

    it('publishes order.placed with the items, catalog prices and total', async () => {
      const order = await place(customerB, [{ productId: phone, quantity: 2 }]);
      const event = await waitFor(() => eventsOf('order.placed').find((e) => e.payload.orderId === order.id));
      expect(event.payload).toEqual({
        orderId: order.id,
        userId: customerB.userId,
        items: [{ productId: phone, quantity: 2, unitPrice: 249.99 }],
        total: 499.98,
        createdAt: order.createdAt,
        version: 1,
      });
      expect(event.metadata).toMatchObject({ source: 'orders', causationId: null });
    });

    it('rejects an unknown product with BAD_USER_INPUT naming its id', async () => {
      const unknown = randomUUID();
      const response = await gql(
        placeOrderMutation,
        { input: { items: [{ productId: unknown, quantity: 1 }], shippingAddress: address } },
        token(customerA),
      );
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.message).toContain(unknown);
    });

    it('rejects a deleted product as unknown', async () => {
      const response = await gql(
        placeOrderMutation,
        { input: { items: [{ productId: deleted, quantity: 1 }], shippingAddress: address } },
        token(customerA),
      );
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    });

    it('rejects quantity 0, no items and an empty address field with BAD_USER_INPUT', async () => {
      const inputs = [
        { items: [{ productId: phone, quantity: 0 }], shippingAddress: address },
        { items: [], shippingAddress: address },
        { items: [{ productId: phone, quantity: 1 }], shippingAddress: { ...address, city: '  ' } },
      ];
      for (const input of inputs)
        expect(codes(await gql(placeOrderMutation, { input }, token(customerA)))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses more than the known available stock with INSUFFICIENT_STOCK', async () => {
      const response = await gql(
        placeOrderMutation,
        { input: { items: [{ productId: scarce, quantity: 3 }], shippingAddress: address } },
        token(customerA),
      );
      expect(codes(response)).toEqual(['INSUFFICIENT_STOCK']);
      await place(customerA, [{ productId: scarce, quantity: 2 }]);
    });

    it('is for customers only: ADMIN is FORBIDDEN, anonymous UNAUTHENTICATED', async () => {
      const input = { items: [{ productId: phone, quantity: 1 }], shippingAddress: address };
      expect(codes(await gql(placeOrderMutation, { input }, token(admin)))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(placeOrderMutation, { input }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await gql(placeOrderMutation, { input }, 'not-a-token'))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('catalog from events', () => {
    it('ignores a stock update older than the one stored, and applies a newer one', async () => {
      const stock = {
        reserved: 0,
        reorderThreshold: 5,
        lowStock: false,
        reason: 'ADJUSTED' as const,
        orderId: null,
      };
      await publish('stock.updated', scarce, {
        ...stock,
        productId: scarce,
        available: 40,
        updatedAt: new Date(Date.now() - 3_600_000).toISOString(),
        // Not newer than the CREATED event stored (version 1) by either measure.
        version: 1,
      });
      const newer = await publish('stock.updated', scarce, {
        ...stock,
        productId: scarce,
        available: 7,
        updatedAt: new Date(Date.now() + 1_000).toISOString(),
        version: 2,
      });
      await waitFor(async () =>
        ((await catalogEntry(scarce))?.processedEventIds ?? []).includes(newer.metadata.eventId),
      );
      expect(await catalogEntry(scarce)).toMatchObject({ available: 7 });
    });

    it('applies product.updated prices to new orders only', async () => {
      const id = randomUUID();
      await publish('product.created', id, {
        productId: id,
        name: 'x',
        description: null,
        category: 'c',
        price: 1,
        quantity: 1,
        reorderThreshold: 0,
      });
      await publish('product.updated', id, {
        productId: id,
        name: 'Renamed',
        description: null,
        category: 'c',
        price: 12.5,
      });
      await waitFor(async () => (await catalogEntry(id))?.priceCents === 1250);
      const order = await place(customerA, [{ productId: id, quantity: 1 }]);
      expect(order.items[0]).toMatchObject({ productName: 'Renamed', unitPrice: 12.5 });
    });

    it(`keeps at most ${maxProcessedEventIds} processed event ids per catalog entry`, async () => {
      const id = randomUUID();
      const stock = {
        productId: id,
        reserved: 0,
        reorderThreshold: 0,
        lowStock: false,
        reason: 'ADJUSTED' as const,
        orderId: null,
      };
      const start = Date.now();
      let last: Envelope<unknown> | undefined;
      for (let i = 0; i < maxProcessedEventIds + 5; i += 1) {
        last = await publish('stock.updated', id, {
          ...stock,
          available: i,
          updatedAt: new Date(start + i).toISOString(),
          version: i + 1,
        });
      }
      const lastId = last?.metadata.eventId;
      const entry = await waitFor(
        async () => {
          const doc = await catalogEntry(id);
          // Trimming follows the write: wait for both.
          return (
            doc?.processedEventIds.includes(lastId ?? '') &&
            doc.processedEventIds.length <= maxProcessedEventIds &&
            doc
          );
        },
        { timeoutMs: 60_000 },
      );
      expect(entry.available).toBe(maxProcessedEventIds + 4);
      expect(entry.processedEventIds).toHaveLength(maxProcessedEventIds);
    });
  });

  describe('reading orders', () => {
    it('lists own orders newest first; customers never see each other’s; ADMIN sees all', async () => {
      const first = await place(customerB, [{ productId: phone, quantity: 1 }]);
      const second = await place(customerB, [{ productId: laptop, quantity: 1 }]);
      const ofB = (await gql<{ orders: OrderView[] }>(ordersQuery, {}, token(customerB))).data?.orders ?? [];
      expect(ofB.every((order) => order.user.id === customerB.userId)).toBe(true);
      expect(ofB.map((order) => order.id).slice(0, 2)).toEqual([second.id, first.id]);
      const createdAt = ofB.map((order) => order.createdAt);
      expect([...createdAt].sort().reverse()).toEqual(createdAt);

      const ofA = (await gql<{ orders: OrderView[] }>(ordersQuery, {}, token(customerA))).data?.orders ?? [];
      expect(ofA.length).toBeGreaterThan(0);
      expect(ofA.every((order) => order.user.id === customerA.userId)).toBe(true);

      const all = (await gql<{ orders: OrderView[] }>(ordersQuery, {}, token(admin))).data?.orders ?? [];
      expect(all.map((order) => order.id).sort()).toEqual([...ofA, ...ofB].map((order) => order.id).sort());
      expect(codes(await gql(ordersQuery))).toEqual(['UNAUTHENTICATED']);
    });

    it('order(id) is visible to its owner and ADMIN, FORBIDDEN to another customer, null when missing', async () => {
      const order = await place(customerB, [{ productId: phone, quantity: 1 }]);
      expect(
        (await gql<{ order: OrderView }>(orderQuery, { id: order.id }, token(customerB))).data?.order.id,
      ).toBe(order.id);
      expect(
        (await gql<{ order: OrderView }>(orderQuery, { id: order.id }, token(admin))).data?.order.id,
      ).toBe(order.id);
      expect(codes(await gql(orderQuery, { id: order.id }, token(customerA)))).toEqual(['FORBIDDEN']);
      expect(await gql(orderQuery, { id: randomUUID() }, token(customerA))).toEqual({
        data: { order: null },
      });
      expect(codes(await gql(orderQuery, { id: order.id }))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('status changes', () => {
    it('moves an order through its lifecycle: CONFIRMED by inventory, paid by its owner, shipped and delivered by ADMIN', async () => {
      const order = await place(customerA, [{ productId: phone, quantity: 1 }]);
      const update = (status: string, viewer: typeof admin) =>
        gql<{ updateOrderStatus: OrderView }>(updateStatusMutation, { id: order.id, status }, token(viewer));

      expect(codes(await update('PAID', customerB))).toEqual(['FORBIDDEN']);
      expect(codes(await update('PAID', customerA))).toEqual(['FORBIDDEN']);
      expect(codes(await update('CONFIRMED', admin))).toEqual(['INVALID_TRANSITION']);
      expect(codes(await update('SHIPPED', admin))).toEqual(['INVALID_TRANSITION']);
      await confirm(order);
      const refused = await update('SHIPPED', admin);
      expect(codes(refused)).toEqual(['INVALID_TRANSITION']);
      expect(refused.errors?.[0]?.message).toBe('Cannot change an order from CONFIRMED to SHIPPED');
      expect(codes(await update('PAID', customerA))).toEqual(['FORBIDDEN']);
      expect((await pay(order.id, 'tok_visa')).data?.payOrder.status).toBe('PAID');
      expect(codes(await update('SHIPPED', customerA))).toEqual(['FORBIDDEN']);
      expect((await update('SHIPPED', admin)).data?.updateOrderStatus.status).toBe('SHIPPED');
      const invalid = await gql(cancelMutation, { id: order.id }, token(customerA));
      expect(codes(invalid)).toEqual(['INVALID_TRANSITION']);
      expect(invalid.errors?.[0]?.message).toBe('Cannot change an order from SHIPPED to CANCELLED');
      expect(codes(await update('REJECTED', admin))).toEqual(['INVALID_TRANSITION']);
      const delivered = (await update('DELIVERED', admin)).data?.updateOrderStatus;
      expect(delivered?.status).toBe('DELIVERED');
      expect(delivered && delivered.updatedAt > delivered.createdAt).toBe(true);
      expect(codes(await update('PAID', admin))).toEqual(['INVALID_TRANSITION']);
      expect(delivered?.version).toBe(5);
      expect(delivered?.history.map(({ status, reason }) => [status, reason])).toEqual([
        ['PENDING', 'placed'],
        ['CONFIRMED', 'stock reserved'],
        ['PAID', 'paid by card'],
        ['SHIPPED', 'shipped (set by an admin)'],
        ['DELIVERED', 'delivered (set by an admin)'],
      ]);
      // The owner sees the same timeline.
      const own = await gql<{ order: OrderView }>(orderQuery, { id: order.id }, token(customerA));
      expect(own.data?.order.history).toEqual(delivered?.history);

      const changes = await waitFor(() => {
        const ofOrder = eventsOf('order.status_changed').filter((e) => e.payload.orderId === order.id);
        return ofOrder.length === 4 && ofOrder;
      });
      expect(changes.map((e) => [e.payload.previousStatus, e.payload.status, e.payload.version])).toEqual([
        ['PENDING', 'CONFIRMED', 2],
        ['CONFIRMED', 'PAID', 3],
        ['PAID', 'SHIPPED', 4],
        ['SHIPPED', 'DELIVERED', 5],
      ]);
      expect(changes[0]?.payload).toMatchObject({
        userId: customerA.userId,
        reason: 'stock reserved',
        items: [{ productId: phone, quantity: 1 }],
      });
    });

    it('lets an ADMIN record a manual payment of a CONFIRMED order, shown in its history', async () => {
      const order = await place(customerB, [{ productId: phone, quantity: 1 }]);
      await confirm(order);
      const paid = await gql<{ updateOrderStatus: OrderView }>(
        updateStatusMutation,
        { id: order.id, status: 'PAID' },
        token(admin),
      );
      expect(paid.data?.updateOrderStatus).toMatchObject({ status: 'PAID', payments: [] });
      expect(paid.data?.updateOrderStatus.history.at(-1)).toMatchObject({
        status: 'PAID',
        reason: 'manual payment recorded by an admin',
      });
    });

    it('cancelOrder cancels a CONFIRMED order and publishes order.cancelled and order.status_changed; a PAID one stays', async () => {
      const order = await place(customerA, [{ productId: laptop, quantity: 3 }]);
      await confirm(order);
      expect(codes(await gql(cancelMutation, { id: order.id }, token(customerB)))).toEqual(['FORBIDDEN']);
      const cancelled = await gql<{ cancelOrder: OrderView }>(
        cancelMutation,
        { id: order.id },
        token(customerA),
      );
      expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
      expect(cancelled.data?.cancelOrder.history.at(-1)?.reason).toBe('cancelled by the customer');

      const event = await waitFor(() =>
        eventsOf('order.cancelled').find((e) => e.payload.orderId === order.id),
      );
      expect(event.payload).toEqual({
        orderId: order.id,
        userId: customerA.userId,
        items: [{ productId: laptop, quantity: 3 }],
        version: 3,
      });
      await waitFor(() =>
        eventsOf('order.status_changed').find(
          (e) =>
            e.payload.orderId === order.id &&
            e.payload.status === 'CANCELLED' &&
            e.payload.previousStatus === 'CONFIRMED',
        ),
      );

      const paid = await place(customerA, [{ productId: laptop, quantity: 1 }]);
      await confirm(paid);
      await pay(paid.id, 'tok_visa');
      const refused = await gql(cancelMutation, { id: paid.id }, token(admin));
      expect(codes(refused)).toEqual(['INVALID_TRANSITION']);
      expect((await view(paid.id))?.status).toBe('PAID');
    });

    it('updateOrderStatus to CANCELLED (by ADMIN) behaves as cancelOrder', async () => {
      const order = await place(customerB, [{ productId: phone, quantity: 1 }]);
      const response = await gql<{ updateOrderStatus: OrderView }>(
        updateStatusMutation,
        { id: order.id, status: 'CANCELLED' },
        token(admin),
      );
      expect(response.data?.updateOrderStatus.status).toBe('CANCELLED');
      await waitFor(() => eventsOf('order.cancelled').find((e) => e.payload.orderId === order.id));
    });

    it('lets only one of two concurrent cancellations win', async () => {
      const order = await place(customerA, [{ productId: phone, quantity: 1 }]);
      const results = await Promise.all([
        gql(cancelMutation, { id: order.id }, token(customerA)),
        gql(cancelMutation, { id: order.id }, token(admin)),
      ]);
      expect(results.map(codes).flat().sort()).toEqual(['INVALID_TRANSITION']);
      await waitFor(() => eventsOf('order.cancelled').find((e) => e.payload.orderId === order.id));
      const stored = await storedOrder(order.id);
      expect(stored?.status).toBe('CANCELLED');
      await waitFor(async () => (await storedOrder(order.id))?.pendingEvents.length === 0);
      await recorderCaughtUp('order.cancelled');
      expect(eventsOf('order.cancelled').filter((e) => e.payload.orderId === order.id)).toHaveLength(1);
    });

    it('cancelOrder of a missing order is NOT_FOUND', async () => {
      expect(codes(await gql(cancelMutation, { id: randomUUID() }, token(admin)))).toEqual(['NOT_FOUND']);
    });
  });

  describe('inventory.reserved', () => {
    it('confirms the PENDING order once, even when the event is delivered again', async () => {
      const order = await place(customerB, [{ productId: laptop, quantity: 2 }]);
      const reserved = await confirm(order);
      await kafka.bus.publish('inventory.reserved', order.id, reserved);
      await handledAll('inventory.reserved');
      await waitFor(async () => (await storedOrder(order.id))?.pendingEvents.length === 0);
      await recorderCaughtUp('order.status_changed');
      const changes = eventsOf('order.status_changed').filter((e) => e.payload.orderId === order.id);
      expect(changes.map((e) => e.payload.status)).toEqual(['CONFIRMED']);
      expect(changes[0]?.metadata).toMatchObject({
        source: 'orders',
        causationId: reserved.metadata.eventId,
        correlationId: reserved.metadata.correlationId,
      });
      expect((await storedOrder(order.id))?.processedEventIds).toEqual([reserved.metadata.eventId]);
    });

    it('changes nothing when the reservation arrives after the order was cancelled, and records it', async () => {
      const order = await place(customerB, [{ productId: laptop, quantity: 1 }]);
      await gql(cancelMutation, { id: order.id }, token(customerB));
      const late = await publish('inventory.reserved', order.id, {
        orderId: order.id,
        items: [{ productId: laptop, quantity: 1 }],
      });
      await waitFor(async () =>
        (await storedOrder(order.id))?.processedEventIds.includes(late.metadata.eventId),
      );
      expect(await view(order.id)).toMatchObject({ status: 'CANCELLED', version: 2 });
      await handledAll('inventory.reserved');
      expect(await messageCount('inventory.reserved.dlq')).toBe(0);
    });
  });

  describe('payOrder', () => {
    it('declines with PAYMENT_DECLINED, the order stays CONFIRMED with the failed payment; a valid card then pays it', async () => {
      const order = await place(customerA, [{ productId: phone, quantity: 2 }]);
      expect(codes(await pay(order.id, 'tok_visa'))).toEqual(['ORDER_NOT_PAYABLE']);
      await confirm(order);

      const declined = await pay(order.id, 'tok_chargeDeclined');
      expect(codes(declined)).toEqual(['PAYMENT_DECLINED']);
      const afterDecline = await view(order.id);
      expect(afterDecline).toMatchObject({
        status: 'CONFIRMED',
        payments: [{ amount: 499.98, status: 'FAILED', failureReason: 'Your card was declined.' }],
      });
      const failed = await recorder.waitFor('payment.failed', (r) => r.event.payload.orderId === order.id);
      expect(failed.key).toBe(order.id);
      expect(failed.event.payload).toMatchObject({
        amount: 499.98,
        reason: 'Your card was declined.',
        version: afterDecline?.version,
      });

      expect(codes(await pay(order.id, 'tok_processingError'))).toEqual(['PAYMENT_PROVIDER_UNAVAILABLE']);
      expect(codes(await pay(order.id, 'tok_visa', customerB))).toEqual(['FORBIDDEN']);
      expect(codes(await pay(order.id, 'tok_visa', admin))).toEqual(['FORBIDDEN']);
      const paid = (await pay(order.id, 'tok_visa')).data?.payOrder;
      expect(paid).toMatchObject({ status: 'PAID', total: 499.98 });
      expect(paid?.payments.map((p) => [p.status, p.amount])).toEqual([
        ['FAILED', 499.98],
        ['SUCCEEDED', 499.98],
      ]);
      // Paying again (a retry) charges nothing and answers the PAID order.
      expect((await pay(order.id, 'tok_chargeDeclined')).data?.payOrder).toEqual(paid);

      const cancelled = await place(customerA, [{ productId: phone, quantity: 1 }]);
      await gql(cancelMutation, { id: cancelled.id }, token(customerA));
      const notPayable = await pay(cancelled.id, 'tok_visa');
      expect(codes(notPayable)).toEqual(['ORDER_NOT_PAYABLE']);
      expect(notPayable.errors?.[0]?.message).toContain('CANCELLED');
      expect(notPayable.errors?.[0]?.extensions).toMatchObject({ details: { status: 'CANCELLED' } });
    });

    it('charges once when two payOrder calls race: both answer the PAID order, payment.succeeded goes out once', async () => {
      const order = await place(customerA, [{ productId: laptop, quantity: 1 }]);
      await confirm(order);
      const [one, two] = await Promise.all([pay(order.id, 'tok_visa'), pay(order.id, 'tok_visa')]);
      expect(one.errors).toBeUndefined();
      expect(two.errors).toBeUndefined();
      expect(one.data?.payOrder.status).toBe('PAID');
      expect(two.data?.payOrder).toEqual(one.data?.payOrder);
      expect(one.data?.payOrder.payments).toHaveLength(1);

      const succeeded = await recorder.waitFor(
        'payment.succeeded',
        (r) => r.event.payload.orderId === order.id,
      );
      expect(succeeded.key).toBe(order.id);
      expect(succeeded.event.payload).toMatchObject({
        paymentId: one.data?.payOrder.payments[0]?.id,
        amount: 179.99,
        method: 'CARD',
        version: one.data?.payOrder.version,
      });
      await waitFor(async () => (await storedOrder(order.id))?.pendingEvents.length === 0);
      await recorderCaughtUp('payment.succeeded');
      expect(eventsOf('payment.succeeded').filter((e) => e.payload.orderId === order.id)).toHaveLength(1);
    });
  });

  describe('inventory.reservation_failed', () => {
    it('rejects the PENDING order with the reason, once, even when the event is delivered again', async () => {
      const order = await place(customerA, [{ productId: laptop, quantity: 1 }]);
      const failure = createEnvelope(
        'inventory.reservation_failed',
        {
          orderId: order.id,
          reason: 'Insufficient stock for Laptop',
          items: [{ productId: laptop, requested: 1, available: 0 }],
        },
        { source: 'inventory', correlationId: randomUUID() },
      );
      await kafka.bus.publish('inventory.reservation_failed', order.id, failure);
      await kafka.bus.publish('inventory.reservation_failed', order.id, failure);

      const rejected = await waitFor(async () => {
        const view = (await gql<{ order: OrderView }>(orderQuery, { id: order.id }, token(customerA))).data
          ?.order;
        return view?.status === 'REJECTED' && view;
      });
      expect(rejected.rejectionReason).toBe('Insufficient stock for Laptop');
      const change = await waitFor(() =>
        eventsOf('order.status_changed').find((e) => e.payload.orderId === order.id),
      );
      expect(change.payload).toMatchObject({ previousStatus: 'PENDING', status: 'REJECTED' });
      expect(change.metadata).toMatchObject({
        source: 'orders',
        causationId: failure.metadata.eventId,
        correlationId: failure.metadata.correlationId,
      });

      // Wait until both deliveries have been handled (their offsets committed), what they stored
      // published and seen; then check that nothing more happened.
      await handledAll('inventory.reservation_failed');
      await waitFor(async () => (await storedOrder(order.id))?.pendingEvents.length === 0);
      await recorderCaughtUp('order.status_changed');
      expect(eventsOf('order.status_changed').filter((e) => e.payload.orderId === order.id)).toHaveLength(1);
      const stored = await storedOrder(order.id);
      expect(stored?.processedEventIds).toEqual([failure.metadata.eventId]);
      expect(await messageCount('inventory.reservation_failed.dlq')).toBe(0);
    });
    it('changes nothing when a failure arrives for an order already paid, and records it', async () => {
      const order = await place(customerA, [{ productId: laptop, quantity: 1 }]);
      await confirm(order);
      expect((await pay(order.id, 'tok_visa')).data?.payOrder.status).toBe('PAID');
      const failure = await publish('inventory.reservation_failed', order.id, {
        orderId: order.id,
        reason: 'Insufficient stock',
        items: [{ productId: laptop, requested: 1, available: 0 }],
      });
      await waitFor(async () =>
        (await storedOrder(order.id))?.processedEventIds.includes(failure.metadata.eventId),
      );
      expect(await view(order.id)).toMatchObject({ status: 'PAID', rejectionReason: null });
      await recorderCaughtUp('order.status_changed');
      expect(
        eventsOf('order.status_changed').filter(
          (e) => e.payload.orderId === order.id && e.payload.status === 'REJECTED',
        ),
      ).toEqual([]);
    });
  });

  describe('entities', () => {
    it('resolves Order references in one query per batch, for the owner or ADMIN only', async () => {
      const one = await place(customerA, [{ productId: phone, quantity: 1 }]);
      const two = await place(customerA, [{ productId: laptop, quantity: 1 }]);
      const representations = [one, two].map((order) => ({ __typename: 'Order', id: order.id }));
      orderFinds = [];
      const response = await gql<{ _entities: { id: string; total: number; user: { id: string } }[] }>(
        entitiesQuery,
        { representations },
        token(admin),
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?._entities).toEqual([
        { id: one.id, total: 249.99, user: { id: customerA.userId } },
        { id: two.id, total: 179.99, user: { id: customerA.userId } },
      ]);
      expect(orderFinds).toHaveLength(1);

      const foreign = await gql(entitiesQuery, { representations }, token(customerB));
      expect(codes(foreign)).toContain('FORBIDDEN');
    });

    it('resolves User.orders for many users in one query, newest first, visible to that user or ADMIN', async () => {
      const representations = [customerA, customerB].map((viewer) => ({
        __typename: 'User',
        id: viewer.userId,
      }));
      orderFinds = [];
      const response = await gql<{
        _entities: { id: string; orders: { id: string; createdAt: string }[] }[];
      }>(entitiesQuery, { representations }, token(admin));
      expect(response.errors).toBeUndefined();
      expect(orderFinds).toHaveLength(1);
      const [ofA, ofB] = response.data?._entities ?? [];
      expect(ofA?.id).toBe(customerA.userId);
      expect(ofB?.id).toBe(customerB.userId);
      expect(ofA?.orders.length).toBeGreaterThan(0);
      expect(ofB?.orders.length).toBeGreaterThan(0);
      const createdAt = ofA?.orders.map((order) => order.createdAt) ?? [];
      expect([...createdAt].sort().reverse()).toEqual(createdAt);

      const own = await gql<{ _entities: ({ orders: unknown[] } | null)[] }>(
        entitiesQuery,
        { representations },
        token(customerA),
      );
      expect(own.data?._entities[0]?.orders.length).toBe(ofA?.orders.length);
      expect(own.data?._entities[1] ?? null).toBeNull();
      expect(codes(own)).toEqual(['FORBIDDEN']);
    });
  });

  it('publishes every event with its aggregate id as the Kafka key', async () => {
    const order = await place(customerA, [{ productId: phone, quantity: 1 }]);
    const cancelled = await gql<{ cancelOrder: OrderView }>(
      cancelMutation,
      { id: order.id },
      token(customerA),
    );
    expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
    for (const topic of ['order.placed', 'order.status_changed', 'order.cancelled'] as const) {
      const recorded = await recorder.waitFor(topic, ({ event }) => event.payload.orderId === order.id);
      expect(recorded.key).toBe(order.id);
    }
    // And so every order and payment event this file caused, those caused by consumed events included.
    for (const topic of orderTopics) {
      expect(recorder.of(topic).length).toBeGreaterThan(0);
      for (const { key, event } of recorder.of(topic)) expect(key).toBe(event.payload.orderId);
    }
  });

  it('reports its health', async () => {
    expect(await subgraph.health()).toEqual({
      status: 'ok',
      checks: { database: 'ok', relay: 'ok', consumers: 'ok' },
    });
  });
});

import { randomUUID } from 'node:crypto';
import { generateKeyPair, signAccessToken, type Viewer } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import { createEnvelope, type TopicName, type Topics } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaBus, type EventRecorder, type TestKafkaBus } from '../../../test/harness/kafka.js';
import { createMongoDatabase } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { ensureOrdersIndexes } from './adapters/mongo/indexes.js';
import { startOrdersSubgraph } from './server.js';

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const placeMutation = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const payMutation = `mutation Pay($id: ID!) { payOrder(orderId: $id, payment: { method: CARD, token: "tok_visa" }) { id status } }`;
const orderQuery = `query One($id: ID!) { order(id: $id) { id status paymentDueAt history { status reason } } }`;
const address = { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };

/**
 * Two instances of the orders subgraph on one database, with a payment time of 4 s and small caps:
 * unpaid orders expire exactly once whichever instance they were placed through, and the caps hold
 * across both.
 */
describe('orders: expiry of unpaid orders and the caps, with two instances', () => {
  const logger = createLogger('orders-expiry-test');
  const product = randomUUID();
  const policy = { paymentTtlSeconds: 4, maxOpenOrdersPerCustomer: 3, maxQuantityPerLine: 5 };
  let database: { url: string; dbName: string; drop(): Promise<void> };
  let client: MongoClient;
  let db: Db;
  let kafka: TestKafkaBus;
  let recorder: EventRecorder;
  let instances: RunningSubgraph[] = [];
  let keys: { publicKey: string; privateKey: string };

  const customer = (): Viewer => ({ userId: randomUUID(), email: 'c@example.com', role: 'CUSTOMER' });
  const admin: Viewer = { userId: randomUUID(), email: 'admin@example.com', role: 'ADMIN' };

  async function gql<T>(
    instance: number,
    query: string,
    variables: Record<string, unknown>,
    viewer: Viewer,
  ): Promise<GraphqlResponse<T>> {
    const response = await fetch(instances[instance % instances.length]!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signAccessToken(viewer, keys.privateKey, 900)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlResponse<T>;
  }
  const codes = (response: GraphqlResponse<unknown>) =>
    (response.errors ?? []).map((e) => e.extensions?.code);

  async function publish<T extends TopicName>(topic: T, key: string, payload: Topics[T]): Promise<void> {
    await kafka.bus.publish(
      topic,
      key,
      createEnvelope(topic, payload, { source: 'test', correlationId: randomUUID() }),
    );
  }

  async function place(instance: number, viewer: Viewer, quantity = 1) {
    return gql<{ placeOrder: { id: string; status: string } }>(
      instance,
      placeMutation,
      { input: { items: [{ productId: product, quantity }], shippingAddress: address } },
      viewer,
    );
  }

  const statusOf = async (orderId: string) =>
    (await gql<{ order: { status: string } }>(0, orderQuery, { id: orderId }, admin)).data?.order.status;

  beforeAll(async () => {
    keys = generateKeyPair();
    const jwt: JwtConfig = {
      ...keys,
      privateKey: null,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 3600,
    };
    database = await createMongoDatabase('orders_expiry');
    client = await new MongoClient(database.url).connect();
    db = client.db(database.dbName);
    await ensureOrdersIndexes(db);
    kafka = await createTestKafkaBus('orders_expiry', logger);
    recorder = await kafka.record(['order.status_changed']);
    for (let i = 0; i < 2; i += 1)
      instances.push(await startOrdersSubgraph({ db, bus: kafka.bus, jwt, logger, orderPolicy: policy }));
    await publish('product.created', product, {
      productId: product,
      name: 'Kettle',
      description: null,
      category: 'home',
      price: 25,
      quantity: 1000,
      reorderThreshold: 0,
    });
    await waitFor(
      async () => (await db.collection('catalog').countDocuments({ _id: product as never })) === 1,
      {
        message: 'product.created applied',
      },
    );
  });

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    instances = [];
    await kafka?.close();
    await client?.close();
    await database?.drop();
  });

  it('caps open orders per customer across instances (TOO_MANY_OPEN_ORDERS) and units per product (QUANTITY_LIMIT)', async () => {
    const buyer = customer();
    expect(codes(await place(0, buyer, 6))).toEqual(['QUANTITY_LIMIT']);
    for (let i = 0; i < 3; i += 1) expect(codes(await place(i, buyer, 5))).toEqual([]);
    const refused = await place(1, buyer);
    expect(codes(refused)).toEqual(['TOO_MANY_OPEN_ORDERS']);
    expect(refused.errors?.[0]?.message).toBe(
      '3 unpaid orders are open (at most 3): pay or cancel one first',
    );
  });

  it('expires every unpaid order exactly once, through whichever instance it was placed, and spares the paid one', async () => {
    const buyers = [customer(), customer()];
    const placed: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await place(i, buyers[i % 2]!);
      expect(codes(response)).toEqual([]);
      placed.push(response.data!.placeOrder.id);
    }
    // Inventory's answer for half of them: CONFIRMED (the others stay PENDING); one is paid.
    for (const orderId of placed.slice(0, 3))
      await publish('inventory.reserved', orderId, { orderId, items: [{ productId: product, quantity: 1 }] });
    const [paid] = placed;
    await waitFor(async () => (await statusOf(paid!)) === 'CONFIRMED', {
      message: 'the order to pay CONFIRMED',
    });
    expect(
      (await gql<{ payOrder: { status: string } }>(1, payMutation, { id: paid }, buyers[0]!)).data?.payOrder
        .status,
    ).toBe('PAID');

    const unpaid = placed.slice(1);
    await waitFor(
      async () => (await Promise.all(unpaid.map(statusOf))).every((status) => status === 'EXPIRED'),
      {
        timeoutMs: 30_000,
        message: 'the unpaid orders to expire',
      },
    );
    expect(await statusOf(paid!)).toBe('PAID');
    const { data } = await gql<{
      order: { paymentDueAt: string | null; history: { status: string; reason: string }[] };
    }>(0, orderQuery, { id: unpaid[0] }, admin);
    expect(data?.order.paymentDueAt).toBeNull();
    expect(data?.order.history.at(-1)).toEqual({ status: 'EXPIRED', reason: 'not paid within 4 s' });

    // Once every stored event is out, each expiry was announced once.
    await waitFor(async () =>
      (await Promise.all(instances.map((i) => i.pendingEvents()))).every((n) => n === 0),
    );
    const expiries = () =>
      recorder
        .of('order.status_changed')
        .filter((r) => r.event.payload.status === 'EXPIRED' && placed.includes(r.event.payload.orderId))
        .map((r) => r.event.payload.orderId);
    await waitFor(() => expiries().length >= unpaid.length, { message: 'the expiries recorded' });
    expect(expiries().sort()).toEqual([...unpaid].sort());

    // The expired orders no longer count against the cap.
    expect(codes(await place(0, buyers[1]!))).toEqual([]);
  });
});

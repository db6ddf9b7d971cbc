import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { createProduct, exampleAddress, login, placeOrder, signUpCustomer, stockOf } from './actors.js';
import { cursorStream, type CursorStream, type StreamItem } from './cursor-stream.js';
import {
  InventoryVersionQuery,
  OrderPlacedResumeSubscription,
  OrderStatusSnapshotSubscription,
  StockResumeSubscription,
  StockSnapshotSubscription,
} from './resume-operations.js';
import { CancelOrderMutation } from './operations.js';
import { AdjustStockMutation } from './subscription-operations.js';

type Stock = { stockUpdated: { available: number } };

/** Resumable subscriptions: cursors on every event, `after` replays from Kafka on any instance. */
describe('resuming subscriptions from a cursor', () => {
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  const open: CursorStream<unknown>[] = [];

  function stream<T, V>(
    url: string,
    document: TypedDocumentNode<T, V>,
    variables: V,
    token?: string,
  ): CursorStream<T> {
    const opened = cursorStream(url, document, variables, token);
    open.push(opened);
    return opened;
  }

  async function newProduct(name: string, quantity: number): Promise<string> {
    const id = await createProduct(client, adminToken, {
      name,
      category: 'Resume',
      price: 5,
      quantity,
      reorderThreshold: 0,
    });
    await stockOf(client, id);
    return id;
  }

  /** `count` stock changes of +1, one after the other (each event's available is one more). */
  async function addStock(productId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      dataOf(await client.request(AdjustStockMutation, { productId, delta: 1 }, { token: adminToken }));
    }
  }

  const availables = (items: readonly StreamItem<Stock>[]) =>
    items.map((item) => item.data?.stockUpdated.available);
  const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  beforeAll(async () => {
    supergraph = await startSupergraph({ gatewayInstances: 2 });
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((opened) => opened.close()));
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  it('a subscriber cut off during 200 changes resumes on another instance with exactly those, in order, then live', async () => {
    const [first, second] = supergraph.gateways;
    if (!first || !second) throw new Error('two gateway instances expected');
    const productId = await newProduct('Resumed widget', 10);
    const live = stream(first.url, StockResumeSubscription, { productId });
    await live.connected;
    await waitFor(() => first.subscriptions?.subscriptionCount() === 1, { message: 'the subscription' });
    await addStock(productId, 1);
    const [seen] = await live.received(1);
    expect(seen?.data?.stockUpdated.available).toBe(11);
    expect(seen?.cursor).toMatch(/^c1\./);

    live.cut();
    await addStock(productId, 200);
    const resumed = stream(second.url, StockResumeSubscription, { productId, after: live.lastCursor() });
    await resumed.connected;
    await resumed.received(200);
    await addStock(productId, 1);
    const items = await resumed.received(201);
    expect(availables(items)).toEqual(range(12, 201));
    expect(items.every((item) => item.cursor !== undefined && item.errorCodes.length === 0)).toBe(true);
    expect(new Set(items.map((item) => item.cursor)).size).toBe(201);
  });

  it("a customer resuming orderPlaced from an old cursor never receives another customer's orders", async () => {
    const gateway = supergraph.gateways.at(-1);
    if (!gateway) throw new Error('no gateway');
    const orders = createClient(gateway.url);
    const productId = await newProduct('Private widget', 100);
    const alice = await signUpCustomer(orders, `alice-resume-${Date.now()}@example.com`);
    const bob = await signUpCustomer(orders, `bob-resume-${Date.now()}@example.com`);
    const order = async (token: string) =>
      dataOf(
        await placeOrder(orders, token, {
          items: [{ productId, quantity: 1 }],
          shippingAddress: exampleAddress,
        }),
      ).placeOrder.id;

    const bobs = stream(gateway.url, OrderPlacedResumeSubscription, {}, bob.token);
    await bobs.connected;
    await waitFor(() => (gateway.subscriptions?.subscriptionCount() ?? 0) >= 1, {
      message: 'the subscription',
    });
    const firstOfBob = await order(bob.token);
    await bobs.received(1);
    const oldCursor = bobs.lastCursor();
    bobs.cut();

    await order(alice.token);
    await order(alice.token);
    const secondOfBob = await order(bob.token);
    const resumed = stream(gateway.url, OrderPlacedResumeSubscription, { after: oldCursor }, bob.token);
    const [replayed] = await resumed.received(1);
    expect(replayed?.data?.orderPlaced.id).toBe(secondOfBob);
    const thirdOfBob = await order(bob.token);
    const items = await resumed.received(2);
    expect(items.map((item) => item.data?.orderPlaced.id)).toEqual([secondOfBob, thirdOfBob]);
    expect(items.every((item) => item.data?.orderPlaced.user.id === bob.id)).toBe(true);
    expect(firstOfBob).not.toBe(secondOfBob);
  });

  it('initial: true under 50 concurrent writers: the snapshot, then strictly increasing versions up to the database state', async () => {
    const gateway = supergraph.gateways.at(-1);
    if (!gateway) throw new Error('no gateway');
    const productId = await newProduct('Contended widget', 10_000);
    const writer = async (i: number) => {
      for (let change = 0; change < 4; change += 1) {
        const delta = (i + change) % 3 === 0 ? -2 : 1;
        dataOf(await client.request(AdjustStockMutation, { productId, delta }, { token: adminToken }));
      }
    };
    const writing = Promise.all(Array.from({ length: 50 }, (_, i) => writer(i)));
    // Subscribe while the 50 writers are busy: the snapshot falls in the middle of their changes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const snapshot = stream(gateway.url, StockSnapshotSubscription, { productId, initial: true });
    await writing;
    const stored = dataOf(await client.request(InventoryVersionQuery, { productId })).inventoryItem;
    if (!stored) throw new Error('no stock row');
    await waitFor(() => snapshot.items.at(-1)?.data?.stockUpdated.version === stored.version, {
      timeoutMs: 60_000,
      message: `version ${stored.version} through the stream`,
    });
    const items = snapshot.items;
    expect(items[0]?.snapshot).toBe(true);
    expect(items[0]?.data?.stockUpdated.reason).toBe('SNAPSHOT');
    expect(items.slice(1).every((item) => !item.snapshot && item.errorCodes.length === 0)).toBe(true);
    const versions = items.map((item) => item.data?.stockUpdated.version ?? 0);
    expect(versions.every((version, i) => i === 0 || version > (versions[i - 1] ?? 0))).toBe(true);
    const last = items.at(-1)?.data?.stockUpdated;
    expect({ available: last?.available, reserved: last?.reserved }).toEqual({
      available: stored.available,
      reserved: stored.reserved,
    });
  });

  it("orderStatusChanged with initial: true sends the owner's order as it is, then its changes; another customer gets none", async () => {
    const gateway = supergraph.gateways.at(-1);
    if (!gateway) throw new Error('no gateway');
    const productId = await newProduct('Snapshot order widget', 10);
    const owner = await signUpCustomer(client, `owner-snapshot-${Date.now()}@example.com`);
    const other = await signUpCustomer(client, `other-snapshot-${Date.now()}@example.com`);
    const orderId = dataOf(
      await placeOrder(client, owner.token, {
        items: [{ productId, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    ).placeOrder.id;
    const mine = stream(
      gateway.url,
      OrderStatusSnapshotSubscription,
      { orderId, initial: true },
      owner.token,
    );
    const [first] = await mine.received(1);
    expect(first?.snapshot).toBe(true);
    expect(first?.data?.orderStatusChanged.id).toBe(orderId);
    const snapshotVersion = first?.data?.orderStatusChanged.version ?? 0;
    dataOf(await client.request(CancelOrderMutation, { id: orderId }, { token: owner.token }));
    await waitFor(() => mine.items.at(-1)?.data?.orderStatusChanged.status === 'CANCELLED', {
      message: 'the cancellation through the stream',
    });
    const versions = mine.items.map((item) => item.data?.orderStatusChanged.version ?? 0);
    expect(versions.slice(1).every((version) => version > snapshotVersion)).toBe(true);

    const theirs = stream(
      gateway.url,
      OrderStatusSnapshotSubscription,
      { orderId, initial: true },
      other.token,
    );
    const [refused] = await theirs.received(1);
    expect(refused?.data ?? null).toBeNull();
    expect(refused?.errorCodes.length).toBeGreaterThan(0);
  });

  it('refuses a tampered or foreign cursor with BAD_CURSOR and one past retention with CURSOR_EXPIRED', async () => {
    const gateway = supergraph.gateways.at(-1);
    const kafka = supergraph.kafka;
    if (!gateway || !kafka) throw new Error('a gateway on Kafka expected');
    const productId = await newProduct('Expiring widget', 0);
    const live = stream(gateway.url, StockResumeSubscription, { productId });
    await live.connected;
    await waitFor(() => (gateway.subscriptions?.subscriptionCount() ?? 0) >= 1, {
      message: 'the subscription',
    });
    await addStock(productId, 1);
    await live.received(1);
    const cursor = live.lastCursor() ?? '';
    const [version, body, check] = cursor.split('.');
    const decoded = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as [string, number[]];
    const edited = Buffer.from(JSON.stringify([decoded[0], decoded[1].map((o) => o + 1)])).toString(
      'base64url',
    );

    const refusal = async (after: string) => {
      const refused = stream(gateway.url, StockResumeSubscription, { productId, after });
      const [item] = await refused.received(1);
      return item?.errorCodes;
    };
    expect(await refusal(`${version}.${edited}.${check}`)).toEqual(['BAD_CURSOR']);
    expect(await refusal('not-a-cursor')).toEqual(['BAD_CURSOR']);
    const foreign = Buffer.from(JSON.stringify(['kafka:elsewhere.stock.updated', decoded[1]])).toString(
      'base64url',
    );
    expect(await refusal(`${version}.${foreign}.${check}`)).toEqual(['BAD_CURSOR']);

    // Retention: the broker deletes everything the cursor points into.
    await addStock(productId, 3);
    await live.received(4);
    const admin = kafka.client.admin();
    await admin.connect();
    try {
      const topic = `${kafka.topicPrefix}stock.updated`;
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.deleteTopicRecords({
        topic,
        partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
      });
    } finally {
      await admin.disconnect();
    }
    expect(await refusal(cursor)).toEqual(['CURSOR_EXPIRED']);
  });

  it('resumes across a restart of the gateway: the cursor is the only state', async () => {
    const productId = await newProduct('Restarted widget', 0);
    const before = supergraph.gateways[0];
    if (!before) throw new Error('no gateway');
    const live = stream(before.url, StockResumeSubscription, { productId });
    await live.connected;
    await waitFor(() => before.subscriptions?.subscriptionCount() === 1, { message: 'the subscription' });
    await addStock(productId, 1);
    // The stock row's CREATED event (available 0) may reach the stream too: read live after the
    // subscription began. The cursor to resume from is the one of the change to 1.
    const changed = async () =>
      (await live.received(1)).find((item) => item.data?.stockUpdated.available === 1);
    const cursor = (await waitFor(changed, { message: 'the change to 1' })).cursor;

    for (const gateway of supergraph.gateways) await gateway.close();
    // No gateway runs: the changes go to the inventory subgraph directly (it verifies the token too).
    client = createClient(supergraph.subgraphs.inventory.url);
    await addStock(productId, 30);
    const after = await supergraph.startGatewayInstance();
    client = createClient(after.url);
    const resumed = stream(after.url, StockResumeSubscription, { productId, after: cursor });
    await addStock(productId, 2);
    expect(availables(await resumed.received(32))).toEqual(range(2, 32));
    expect(after.subscriptions?.replayReaderCount()).toBe(0);
    // Three gateway starts on this run's topics, and not one consumer group of theirs in Kafka.
    const kafka = supergraph.kafka;
    if (!kafka) throw new Error('Kafka expected');
    const admin = kafka.client.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      // Services' groups are `<prefix><service>.<topic>`; a gateway's were `<prefix>gateway-<id>.<topic>`.
      const ofGateways = groups.filter(({ groupId }) => groupId.startsWith(`${kafka.topicPrefix}gateway`));
      expect(ofGateways).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { generateKeyPair, signAccessToken, type Viewer } from '@commerce/common/auth';
import {
  createEnvelope,
  InMemoryEventBus,
  InMemoryTopicLog,
  type LogPosition,
  type TopicLog,
  type TopicName,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { closeServer, listen } from '@commerce/common/server';
import { CloseCode } from 'graphql-ws';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, type LiveSubscription } from '../../../test/client/subscriptions.js';
import {
  LowStockAlertSubscription,
  OrderPlacedSubscription,
  StockWithNameSubscription,
} from '../../../test/e2e/subscription-operations.js';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { waitFor } from '../../../test/harness/wait.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import { subscriptionFields } from './fields.js';
import { startSubscriptionService } from './service.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

interface StubSubgraph {
  readonly url: string;
  readonly server: Server;
  readonly requests: { authorization: string | undefined; variables: unknown }[];
}

/** A subgraph answering every `_entities` fetch with `entity(representation)`. */
async function stubSubgraph(
  entity: (representation: Record<string, unknown>) => unknown,
): Promise<StubSubgraph> {
  const requests: StubSubgraph['requests'] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { variables } = JSON.parse(body) as {
        variables?: { representations?: Record<string, unknown>[] };
      };
      requests.push({ authorization: request.headers.authorization, variables });
      const entities = (variables?.representations ?? []).map(entity);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: { _entities: entities } }));
    });
  });
  return { url: `http://127.0.0.1:${await listen(server, 0)}/graphql`, server, requests };
}

const orderEvent = (orderId: string, userId: string) =>
  createEnvelope(
    'order.placed',
    {
      orderId,
      userId,
      items: [{ productId: 'p1', quantity: 1, unitPrice: 10 }],
      total: 10,
      createdAt: new Date().toISOString(),
      version: 1,
    },
    { source: 'test', correlationId: randomUUID() },
  );

describe('subscription service (in-process bus, stub subgraphs)', () => {
  const keys = generateKeyPair();
  const bus = new InMemoryEventBus();
  const token = (viewer: Viewer, ttl = 60) => signAccessToken(viewer, keys.privateKey, ttl);
  const admin: Viewer = { userId: 'admin', email: 'admin@example.com', role: 'ADMIN' };
  const alice: Viewer = { userId: 'alice', email: 'alice@example.com', role: 'CUSTOMER' };
  const bob: Viewer = { userId: 'bob', email: 'bob@example.com', role: 'CUSTOMER' };
  let products: StubSubgraph;
  let orders: StubSubgraph;
  let users: StubSubgraph;
  let gateway: RunningGateway;
  const open: LiveSubscription<unknown>[] = [];

  const track = <T>(subscription: LiveSubscription<T>): LiveSubscription<T> => {
    open.push(subscription);
    return subscription;
  };
  const subscribers = (count: number) =>
    waitFor(() => (gateway.subscriptions?.subscriptionCount() ?? 0) >= count, {
      message: `${count} subscribers`,
    });

  beforeAll(async () => {
    products = await stubSubgraph((rep) => ({ __typename: 'Product', name: `Product ${String(rep['id'])}` }));
    orders = await stubSubgraph(() => ({
      __typename: 'Order',
      status: 'PENDING',
      total: 10,
      user: { __typename: 'User', id: 'u' },
      items: [],
    }));
    users = await stubSubgraph(() => ({ __typename: 'User', email: 'someone@example.com' }));
    gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: {
        products: products.url,
        orders: orders.url,
        users: users.url,
        inventory: 'http://127.0.0.1:1/graphql',
      },
      jwtPublicKey: keys.publicKey,
      logger: createLogger('test'),
      subscriptions: { log: new InMemoryTopicLog(bus), instanceId: 'unit' },
    });
  });

  afterAll(async () => {
    await Promise.all(open.map((subscription) => subscription.close()));
    await gateway.close();
    await Promise.all([products, orders, users].map((stub) => closeServer(stub.server)));
  });

  it('delivers a stock change with the product resolved from its subgraph, filtered by productId', async () => {
    const live = track(subscribe(gateway.url, StockWithNameSubscription, { productId: 'p1' }));
    await subscribers(1);
    await bus.publish('stock.updated', 'p2', stockUpdatedEvent('p2', 3));
    await bus.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 7));
    const result = await live.waitFor((r) => r.data?.stockUpdated.available === 7);
    expect(result.data).toEqual({ stockUpdated: { available: 7, product: { name: 'Product p1' } } });
    expect(live.results.map((r) => r.data?.stockUpdated.available)).toEqual([7]);
    await live.close();
  });

  it('executes once per event for 50 subscribers of one selection', async () => {
    const lives = Array.from({ length: 50 }, () =>
      track(subscribe(gateway.url, StockWithNameSubscription, { productId: 'p3' })),
    );
    await subscribers(50);
    products.requests.length = 0;
    await bus.publish('stock.updated', 'p3', stockUpdatedEvent('p3', 9));
    await Promise.all(lives.map((live) => live.waitFor((r) => r.data?.stockUpdated.available === 9)));
    expect(products.requests).toHaveLength(1);
    await Promise.all(lives.map((live) => live.close()));
    await waitFor(() => gateway.subscriptions?.subscriptionCount() === 0);
  });

  it('shares one anonymous execution of a public field among anonymous subscribers, customers and admins', async () => {
    const lives = [
      track(subscribe(gateway.url, StockWithNameSubscription, { productId: 'p4' })),
      track(subscribe(gateway.url, StockWithNameSubscription, { productId: 'p4' }, { token: token(alice) })),
      track(subscribe(gateway.url, StockWithNameSubscription, { productId: 'p4' }, { token: token(bob) })),
      track(subscribe(gateway.url, StockWithNameSubscription, { productId: 'p4' }, { token: token(admin) })),
    ];
    await subscribers(4);
    products.requests.length = 0;
    await bus.publish('stock.updated', 'p4', stockUpdatedEvent('p4', 5));
    await Promise.all(lives.map((live) => live.waitFor((r) => r.data?.stockUpdated.available === 5)));
    expect(products.requests).toHaveLength(1);
    expect(products.requests[0]?.authorization).toBeUndefined();
    await Promise.all(lives.map((live) => live.close()));
    await waitFor(() => gateway.subscriptions?.subscriptionCount() === 0);
  });

  it('closes an anonymous lowStockAlert subscription with 4401 and a customer one with 4403', async () => {
    const anonymous = track(subscribe(gateway.url, LowStockAlertSubscription, {}));
    expect(await anonymous.closed).toMatchObject({ code: CloseCode.Unauthorized });
    const customer = track(subscribe(gateway.url, LowStockAlertSubscription, {}, { token: token(alice) }));
    expect(await customer.closed).toMatchObject({ code: CloseCode.Forbidden });
  });

  it('refuses a connection whose token does not verify with 4401', async () => {
    const other = generateKeyPair();
    const forged = signAccessToken(admin, other.privateKey, 60);
    const live = track(subscribe(gateway.url, LowStockAlertSubscription, {}, { token: forged }));
    expect(await live.closed).toEqual({ code: CloseCode.Unauthorized, reason: 'Invalid access token' });
  });

  it('gives customers their own orders only, ADMIN all, and forwards each scope its own token', async () => {
    const adminToken = token(admin);
    const accepted = { connectionParams: { token: adminToken } };
    const everything = track(subscribe(gateway.url, OrderPlacedSubscription, {}, accepted));
    const mine = track(subscribe(gateway.url, OrderPlacedSubscription, {}, { token: token(alice) }));
    const bobs = track(subscribe(gateway.url, OrderPlacedSubscription, {}, { token: token(bob) }));
    await subscribers(3);
    orders.requests.length = 0;
    await bus.publish('order.placed', 'o1', orderEvent('o1', 'alice'));
    await bus.publish('order.placed', 'o2', orderEvent('o2', 'bob'));
    await everything.waitFor((r) => r.data?.orderPlaced.id === 'o2');
    await everything.waitFor((r) => r.data?.orderPlaced.id === 'o1');
    await mine.waitFor((r) => r.data?.orderPlaced.id === 'o1');
    await bobs.waitFor((r) => r.data?.orderPlaced.id === 'o2');
    expect(mine.results.map((r) => r.data?.orderPlaced.id)).toEqual(['o1']);
    expect(bobs.results.map((r) => r.data?.orderPlaced.id)).toEqual(['o2']);
    expect(orders.requests).toHaveLength(4);
    expect(orders.requests.filter((r) => r.authorization === `Bearer ${adminToken}`)).toHaveLength(2);
  });

  it('closes the connection with 4401 "Access token expired" when the token expires', async () => {
    const live = track(subscribe(gateway.url, OrderPlacedSubscription, {}, { token: token(alice, 1) }));
    await live.connected;
    expect(await live.closed).toEqual({ code: CloseCode.Unauthorized, reason: 'Access token expired' });
  });

  it('serves Prometheus metrics on /metrics', async () => {
    const text = await (await fetch(gateway.metricsUrl)).text();
    expect(text).toContain('gateway_subscription_connections');
    expect(text).toMatch(/gateway_subscription_events_consumed_total\{topic="stock.updated"\} \d+/);
    expect(text).toMatch(/gateway_subscription_events_delivered_total\{field="stockUpdated"\} \d+/);
    expect(text).toContain('gateway_subscription_delivery_latency_seconds_bucket');
    expect(text).toContain('gateway_subscriptions{field="orderPlaced"}');
  });
});

/** An in-process topic log recording the reads; the bounds of `refused` cannot be read. */
function recordingLog(refused?: TopicName) {
  const bus = new InMemoryEventBus();
  const inner = new InMemoryTopicLog(bus);
  const reading = new Set<TopicName>();
  const started: { topic: TopicName; from: LogPosition }[] = [];
  const log: TopicLog = {
    namespace: inner.namespace,
    bounds: (topic) =>
      topic === refused ? Promise.reject(new Error(`${topic} refused`)) : inner.bounds(topic),
    async read(topic, from, onRecords, options) {
      started.push({ topic, from });
      reading.add(topic);
      try {
        await inner.read(topic, from, onRecords, options);
      } finally {
        reading.delete(topic);
      }
    },
    close: () => inner.close(),
  };
  return { bus, log, started, reading };
}

describe('subscription service topics', () => {
  const fieldTopics = new Set(Object.values(subscriptionFields).map(({ topic }) => topic));
  const start = (log: TopicLog) =>
    startSubscriptionService({
      server: createServer(),
      log,
      supergraphSdl,
      dataSource: (_name, url) => new RemoteGraphQLDataSource({ url }),
      jwtPublicKey: generateKeyPair().publicKey,
      logger: createLogger('test'),
      registry: new Registry(),
      instanceId: 'topics',
    });

  it('reads the topic of every Subscription field of fields.ts from its end, and stops reading on close', async () => {
    const recording = recordingLog();
    await recording.bus.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 1));
    const service = await start(recording.log);
    expect(new Set(service.topics)).toEqual(fieldTopics);
    expect(service.topics).toHaveLength(fieldTopics.size);
    expect(new Set(recording.started.map(({ topic }) => topic))).toEqual(fieldTopics);
    expect(recording.started).toHaveLength(fieldTopics.size);
    expect(recording.started.find(({ topic }) => topic === 'stock.updated')?.from).toEqual([1]);
    await service.close();
    expect(recording.reading.size).toBe(0);
  });

  it('fails to start when a topic cannot be read', async () => {
    const recording = recordingLog('order.placed');
    await expect(start(recording.log)).rejects.toThrow('order.placed refused');
    expect(recording.reading.size).toBe(0);
  });
});

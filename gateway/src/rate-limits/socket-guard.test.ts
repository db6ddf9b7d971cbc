import { readFileSync } from 'node:fs';
import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { InMemoryEventBus, InMemoryTopicLog } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type LiveConnection } from '../../../test/client/subscriptions.js';
import {
  StockLevelSubscription,
  StockUpdatedSubscription,
  StockWithNameSubscription,
} from '../../../test/e2e/subscription-operations.js';
import { waitFor } from '../../../test/harness/wait.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import type { RateLimitOptions } from './rate-limits.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const keys = generateKeyPair();
const alice = signAccessToken(
  { userId: 'alice', email: 'alice@example.com', role: 'CUSTOMER' },
  keys.privateKey,
  600,
);

describe('WebSocket caps and rate limits', () => {
  const bus = new InMemoryEventBus();
  const gateways: RunningGateway[] = [];
  const open: LiveConnection[] = [];
  let gateway: RunningGateway;

  const start = async (rateLimits: RateLimitOptions): Promise<RunningGateway> => {
    const started = await startGateway({
      supergraphSdl,
      subgraphUrls: {},
      jwtPublicKey: keys.publicKey,
      logger: createLogger('test'),
      subscriptions: { log: new InMemoryTopicLog(bus), instanceId: `guard-${gateways.length}` },
      rateLimits,
    });
    gateways.push(started);
    return started;
  };
  const connection = (target: RunningGateway, token?: string): LiveConnection => {
    const opened = connect(target.url, token ? { token } : {});
    open.push(opened);
    return opened;
  };
  const subscriptions = (target: RunningGateway, count: number) =>
    waitFor(() => target.subscriptions?.subscriptionCount() === count, { message: `${count} subscriptions` });
  const metrics = async (target: RunningGateway) => (await fetch(target.metricsUrl)).text();

  beforeAll(async () => {
    gateway = await start({
      caps: {
        subscriptionsPerConnection: 3,
        openConnectionsPerAddress: 3,
        openConnectionsPerUser: 2,
        distinctOperations: 2,
      },
    });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((opened) => opened.close()));
    await waitFor(() => gateways.every((running) => running.subscriptions?.connectionCount() === 0), {
      message: 'every connection closed',
    });
  });

  afterAll(async () => {
    await Promise.all(gateways.map((running) => running.close()));
    await bus.close();
  });

  it('closes a connection with 4429 at its subscription past the cap', async () => {
    const socket = connection(gateway);
    for (let i = 0; i < 3; i += 1) void socket.subscribe(StockLevelSubscription, { productId: `p${i}` });
    await subscriptions(gateway, 3);

    const fourth = await socket.subscribe(StockLevelSubscription, { productId: 'p3' });
    expect(fourth).toEqual({
      kind: 'closed',
      code: 4429,
      reason: 'Too many subscriptions on this connection (max 3)',
    });
    await subscriptions(gateway, 0);
    expect(await metrics(gateway)).toMatch(
      /gateway_websocket_capped_total\{cap="subscriptionsPerConnection"\} 1/,
    );
  });

  it('closes connections past the cap of an address with 4429, and admits again once one closes', async () => {
    const first = [connection(gateway), connection(gateway), connection(gateway)];
    await Promise.all(first.map((opened) => opened.connected));

    expect(await connection(gateway).closed).toEqual({
      code: 4429,
      reason: 'Too many connections from this address (max 3)',
    });
    await first[0]?.close();
    await waitFor(() => gateway.subscriptions?.connectionCount() === 2, { message: 'one connection closed' });
    await connection(gateway).connected;
  });

  it('closes connections past the cap of a user with 4429', async () => {
    await Promise.all([connection(gateway, alice).connected, connection(gateway, alice).connected]);
    expect(await connection(gateway, alice).closed).toEqual({
      code: 4429,
      reason: 'Too many connections for this user (max 2)',
    });
  });

  it('caps the distinct operations of the instance, not their subscribers', async () => {
    const [one, two] = [connection(gateway), connection(gateway)];
    void one.subscribe(StockLevelSubscription, {});
    void one.subscribe(StockWithNameSubscription, {});
    void two.subscribe(StockLevelSubscription, { productId: 'p1' });
    await subscriptions(gateway, 3);

    expect(await two.subscribe(StockUpdatedSubscription, {})).toMatchObject({
      kind: 'closed',
      code: 4429,
      reason: 'Too many distinct subscriptions on this server (max 2)',
    });
    await one.close();
    await subscriptions(gateway, 0);
    const three = connection(gateway);
    void three.subscribe(StockUpdatedSubscription, {});
    await subscriptions(gateway, 1);
    expect(await metrics(gateway)).toMatch(/gateway_subscription_distinct_operations 1/);
  });

  it('refuses a subscribe past the request budget of its address with RATE_LIMITED, keeping the connection', async () => {
    const strict = await start({ rates: { requestsPerAddress: { points: 2, seconds: 60 } } });
    const socket = connection(strict);
    void socket.subscribe(StockLevelSubscription, { productId: 'p1' });
    void socket.subscribe(StockLevelSubscription, { productId: 'p2' });
    await subscriptions(strict, 2);

    const refused = await socket.subscribe(StockLevelSubscription, { productId: 'p3' });
    if (refused.kind !== 'error')
      throw new Error(`expected an error message, got ${JSON.stringify(refused)}`);
    expect(refused.errors[0]?.message).toMatch(/^Too many requests from this address: retry in \d+ s$/);
    expect(refused.errors[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(strict.subscriptions?.connectionCount()).toBe(1);
    await subscriptions(strict, 2);
  });

  it('closes new connections past the budget of an address with 4429 and when to retry', async () => {
    const strict = await start({ rates: { connectionsPerAddress: { points: 2, seconds: 60 } } });
    await Promise.all([connection(strict).connected, connection(strict).connected]);
    const refused = await connection(strict).closed;
    expect(refused.code).toBe(4429);
    expect(refused.reason).toMatch(/^Too many new connections from this address: retry in \d+ s$/);
    expect(await metrics(strict)).toMatch(/gateway_rate_limited_total\{limit="connectionsPerAddress"\} 1/);
  });
});

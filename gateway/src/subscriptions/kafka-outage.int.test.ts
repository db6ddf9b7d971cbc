import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, type LiveSubscription } from '../../../test/client/subscriptions.js';
import { StockLevelSubscription } from '../../../test/e2e/subscription-operations.js';
import { kafkaBrokers, uniqueName } from '../../../test/harness/servers.js';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { waitFor } from '../../../test/harness/wait.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import { generateKeyPair } from '@commerce/common/auth';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

/**
 * A kafkajs socket factory whose network can be cut: open sockets are destroyed and new ones fail,
 * as when the broker or the link to it goes away, until `restore()`.
 */
function cuttableNetwork(): {
  socketFactory: ISocketFactory;
  cut(): void;
  restore(): void;
  refused(): number;
} {
  const open = new Set<Socket>();
  let down = false;
  let refused = 0;
  return {
    socketFactory: ({ host, port, onConnect }) => {
      if (down) {
        refused += 1;
        const socket = new Socket();
        process.nextTick(() =>
          socket.destroy(new Error(`connect ECONNREFUSED ${host}:${port} (simulated outage)`)),
        );
        return socket;
      }
      const socket = connect({ host, port }, onConnect);
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      return socket;
    },
    cut() {
      down = true;
      for (const socket of open) socket.destroy(new Error('connection reset (simulated outage)'));
    },
    restore() {
      down = false;
    },
    refused: () => refused,
  };
}

/** The gateway's consumers ride out a Kafka outage: subscribers stay connected and receive again after. */
describe('subscriptions across a Kafka outage', () => {
  const logger = createLogger('outage-test');
  const topicPrefix = `${uniqueName('outage')}.`;
  const network = cuttableNetwork();
  let publisher: KafkaEventBus;
  let gatewayBus: KafkaEventBus;
  let gateway: RunningGateway;
  let live: LiveSubscription<{ stockUpdated: { available: number } }>;

  beforeAll(async () => {
    publisher = new KafkaEventBus(createKafkaClient('outage-publisher', kafkaBrokers(), logger), {
      topicPrefix,
      logger,
    });
    await publisher.ensureTopics();
    const kafka = new Kafka({
      clientId: 'outage-gateway',
      brokers: kafkaBrokers(),
      connectionTimeout: 1_000,
      retry: { initialRetryTime: 200, retries: 5 },
      logLevel: logLevel.NOTHING,
      socketFactory: network.socketFactory,
    });
    gatewayBus = new KafkaEventBus(kafka, { topicPrefix, logger });
    gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: {},
      jwtPublicKey: generateKeyPair().publicKey,
      logger,
      subscriptions: { bus: gatewayBus, instanceId: 'outage' },
    });
  });

  afterAll(async () => {
    network.restore();
    await live?.close();
    await gateway?.close();
    await Promise.allSettled([gatewayBus?.close(), publisher?.close()]);
  });

  it('keeps the subscriber connected and delivers the events published during and after the outage', async () => {
    live = subscribe(gateway.url, StockLevelSubscription, { productId: 'p1' });
    await live.connected;
    await waitFor(() => gateway.subscriptions?.subscriptionCount() === 1);
    // The consumer starts at the latest offset once it has joined: publish until one arrives.
    let available = 1_000;
    await waitFor(
      async () => {
        await publisher.publish('stock.updated', 'p1', stockUpdatedEvent('p1', (available += 1)));
        return live.results.length > 0;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'the first event through the gateway' },
    );

    network.cut();
    // Long enough for the broker to expire the gateway's session: the consumer has to rejoin after.
    const groupId = `${topicPrefix}${gateway.subscriptions?.consumerGroup ?? ''}.stock.updated`;
    const admin = createKafkaClient('outage-probe', kafkaBrokers(), logger).admin();
    await admin.connect();
    try {
      await waitFor(async () => (await admin.describeGroups([groupId])).groups[0]?.state === 'Empty', {
        timeoutMs: 40_000,
        intervalMs: 250,
        message: `the broker to drop the members of ${groupId}`,
      });
    } finally {
      await admin.disconnect();
    }
    expect(network.refused()).toBeGreaterThan(0);
    await publisher.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 1));
    network.restore();
    await publisher.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 2));

    await live.waitFor((r) => r.data?.stockUpdated.available === 1, {
      timeoutMs: 40_000,
      message: 'the event from the outage',
    });
    await live.waitFor((r) => r.data?.stockUpdated.available === 2, {
      timeoutMs: 40_000,
      message: 'the event after it',
    });
    const closed = await Promise.race([live.closed, Promise.resolve('open')]);
    expect(closed).toBe('open');
  });
});

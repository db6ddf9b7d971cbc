import { readFileSync } from 'node:fs';
import {
  createKafkaClient,
  createKafkaTopicLog,
  KafkaEventBus,
  type KafkaTopicLog,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, type LiveSubscription } from '../../../test/client/subscriptions.js';
import { StockLevelSubscription } from '../../../test/e2e/subscription-operations.js';
import { startPrivateBroker, type PrivateBroker } from '../../../test/faults/private-servers.js';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { waitFor } from '../../../test/harness/wait.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import { generateKeyPair } from '@commerce/common/auth';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

/** The gateway's live readers ride out a Kafka outage: subscribers stay connected and receive again after. */
describe('subscriptions across a Kafka outage', () => {
  const logger = createLogger('outage-test');
  let broker: PrivateBroker;
  let publisher: KafkaEventBus;
  let log: KafkaTopicLog;
  let gateway: RunningGateway;
  let live: LiveSubscription<{ stockUpdated: { available: number } }>;

  beforeAll(async () => {
    broker = await startPrivateBroker();
    publisher = new KafkaEventBus(createKafkaClient('outage-publisher', broker.brokers, logger), { logger });
    await publisher.ensureTopics();
    log = createKafkaTopicLog({ brokers: broker.brokers }, logger);
    gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: {},
      jwtPublicKey: generateKeyPair().publicKey,
      logger,
      subscriptions: { log, instanceId: 'outage' },
    });
  }, 240_000);

  afterAll(async () => {
    await live?.close();
    await gateway?.close();
    await Promise.allSettled([log?.close(), publisher?.close()]);
    await broker?.destroy();
  }, 120_000);

  it('keeps the subscriber connected through a broker restart and delivers the events published after it', async () => {
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

    // The broker goes away for real while the subscriber stays connected, then comes back.
    await broker.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await Promise.race([live.closed, Promise.resolve('open')])).toBe('open');
    await broker.start();
    await publisher.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 1));
    await publisher.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 2));

    await live.waitFor((r) => r.data?.stockUpdated.available === 1, {
      timeoutMs: 40_000,
      message: 'the first event after the restart',
    });
    await live.waitFor((r) => r.data?.stockUpdated.available === 2, {
      timeoutMs: 40_000,
      message: 'the event after it',
    });
    const closed = await Promise.race([live.closed, Promise.resolve('open')]);
    expect(closed).toBe('open');
  });
});

import { readFileSync } from 'node:fs';
import { generateKeyPair } from '@commerce/common/auth';
import { InMemoryEventBus, InMemoryTopicLog } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorStream, type CursorStream } from '../../../test/e2e/cursor-stream.js';
import { StockResumeSubscription } from '../../../test/e2e/resume-operations.js';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { waitFor } from '../../../test/harness/wait.js';
import { startGateway, type RunningGateway } from '../gateway.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

type Stock = { stockUpdated: { available: number } };

describe('replays shared between resuming subscribers', () => {
  const bus = new InMemoryEventBus();
  let gateway: RunningGateway;
  const open: CursorStream<Stock>[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: {},
      jwtPublicKey: generateKeyPair().publicKey,
      logger: createLogger('test'),
      subscriptions: { log: new InMemoryTopicLog(bus), instanceId: 'replay' },
    });
  });

  afterAll(async () => {
    await Promise.all(open.map((stream) => stream.close()));
    await gateway.close();
  });

  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(gateway.metricsUrl)).text();
    const line = text.split('\n').find((entry) => entry.startsWith(`${name}{field="stockUpdated"}`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };

  it('replays to 50 subscribers resuming from one cursor, each event once and in order, then goes live', async () => {
    const first = cursorStream(gateway.url, StockResumeSubscription, { productId: 'p1' });
    open.push(first);
    await first.connected;
    await waitFor(() => gateway.subscriptions?.subscriptionCount() === 1);
    await bus.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 0));
    await first.received(1);
    const cursor = first.lastCursor();
    // 30 changes of p1 among 30 of another product that the resumed subscription filters out.
    for (let i = 1; i <= 30; i += 1) {
      await bus.publish('stock.updated', 'p1', stockUpdatedEvent('p1', i));
      await bus.publish('stock.updated', 'p2', stockUpdatedEvent('p2', i));
    }
    const resumed = Array.from({ length: 50 }, () =>
      cursorStream(gateway.url, StockResumeSubscription, { productId: 'p1', after: cursor }),
    );
    open.push(...resumed);
    for (const stream of resumed) {
      const items = await stream.received(30);
      expect(items.map((item) => item.data?.stockUpdated.available)).toEqual(
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
    }
    // One execution per event per reader, whatever the number of subscribers a reader serves.
    const readers = await metric('gateway_subscription_replay_readers_total');
    expect(readers).toBeGreaterThanOrEqual(1);
    expect(await metric('gateway_subscription_replay_executions_total')).toBe(30 * readers);
    await waitFor(() => gateway.subscriptions?.replayReaderCount() === 0, { message: 'the reader to stop' });

    await bus.publish('stock.updated', 'p1', stockUpdatedEvent('p1', 31));
    for (const stream of resumed) {
      const items = await stream.received(31);
      expect(items.at(-1)?.data?.stockUpdated.available).toBe(31);
      expect(items).toHaveLength(31);
    }
  });

  it('answers BAD_USER_INPUT to initial: true without the id it needs', async () => {
    const stream = cursorStream(gateway.url, StockResumeSubscription, { initial: true });
    open.push(stream);
    const [item] = await stream.received(1);
    expect(item?.errorCodes).toEqual(['BAD_USER_INPUT']);
  });
});

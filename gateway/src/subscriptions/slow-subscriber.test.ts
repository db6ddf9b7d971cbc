import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateKeyPair } from '@commerce/common/auth';
import { createEnvelope, InMemoryEventBus, InMemoryTopicLog } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subscribe } from '../../../test/client/subscriptions.js';
import { StockLevelSubscription } from '../../../test/e2e/subscription-operations.js';
import { waitFor } from '../../../test/harness/wait.js';
import {
  defaultOperationLimits,
  SubscriptionCloseCode,
  startGateway,
  type RunningGateway,
} from '../gateway.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

/** A selection with a large result (~6 KiB), so that a stalled reader fills the socket buffers soon. */
const bulkyQuery = `subscription { stockUpdated { ${Array.from({ length: 300 }, (_, i) => `f${i}: updatedAt`).join(' ')} } }`;

/** A graphql-ws subscriber that stops reading its socket once subscribed, as a stalled client would. */
async function stalledSubscriber(url: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), GRAPHQL_TRANSPORT_WS_PROTOCOL);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const acknowledged = new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await acknowledged;
  socket.send(
    JSON.stringify({
      id: '1',
      type: 'subscribe',
      payload: { query: bulkyQuery, variables: {} },
    }),
  );
  socket.pause();
  return { socket, closed };
}

describe('a slow subscriber', () => {
  const bus = new InMemoryEventBus();
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: {},
      jwtPublicKey: generateKeyPair().publicKey,
      logger: createLogger('test'),
      subscriptions: { log: new InMemoryTopicLog(bus), instanceId: 'slow', limits: { maxQueued: 16 } },
      // The bulky selection is 300 aliases, far over the default alias limit.
      operationLimits: { ...defaultOperationLimits, maxAliases: 300 },
    });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('is closed with 1013 once too far behind, while a fast subscriber keeps receiving everything', async () => {
    const fast = subscribe(gateway.url, StockLevelSubscription, {});
    const slow = await stalledSubscriber(gateway.url);
    await waitFor(() => gateway.subscriptions?.subscriptionCount() === 2);

    // Stock of many products: coalescing per product cannot save a client that reads nothing.
    let sent = 0;
    let slowClosed = false;
    void slow.closed.then(() => (slowClosed = true));
    await waitFor(
      async () => {
        // Small batches, so that a subscriber reading at socket speed keeps up between them.
        for (let i = 0; i < 8; i += 1) {
          sent += 1;
          const event = createEnvelope(
            'stock.updated',
            {
              productId: `p${sent % 100}`,
              available: sent,
              reserved: 0,
              reorderThreshold: 1,
              lowStock: false,
              reason: 'ADJUSTED',
              orderId: null,
              updatedAt: new Date().toISOString(),
              version: sent,
            },
            { source: 'test', correlationId: randomUUID() },
          );
          await bus.publish('stock.updated', event.payload.productId, event);
        }
        return gateway.subscriptions?.subscriptionCount() === 1;
      },
      { timeoutMs: 45_000, intervalMs: 1, message: 'the stalled subscriber to be dropped' },
    );

    await fast.waitFor((r) => r.data?.stockUpdated.available === sent, { message: `event ${sent}` });
    expect(fast.results).toHaveLength(sent);
    slow.socket.resume();
    expect(await slow.closed).toBe(SubscriptionCloseCode.TooSlow);
    expect(slowClosed).toBe(true);
    const metrics = await (await fetch(gateway.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_subscription_slow_closed_total\{field="stockUpdated"\} 1/);
    await fast.close();
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { generateKeyPair } from '@commerce/common/auth';
import { InMemoryEventBus, InMemoryTopicLog } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { parse } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subscribe } from '../../../test/client/subscriptions.js';
import { StockLevelSubscription } from '../../../test/e2e/subscription-operations.js';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { waitFor } from '../../../test/harness/wait.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import type { TrustedDocumentsMode } from './config.js';
import { sha256Hex } from './manifest.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

/** The errors of the one `subscribe` a raw graphql-ws client sends with `payload`. */
async function refusal(url: string, payload: Record<string, unknown>): Promise<unknown> {
  const client = createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe({ query: '', ...payload }, { next: reject, error: resolve, complete: reject });
    });
  } finally {
    await client.dispose();
  }
}

describe('graphql-ws subscriptions with TRUSTED_DOCUMENTS', () => {
  const keys = generateKeyPair();
  const gateways = {} as Record<'off' | 'enforce', { gateway: RunningGateway; bus: InMemoryEventBus }>;

  beforeAll(async () => {
    for (const mode of ['off', 'enforce'] as const satisfies TrustedDocumentsMode[]) {
      const bus = new InMemoryEventBus();
      const gateway = await startGateway({
        supergraphSdl,
        subgraphUrls: {},
        jwtPublicKey: keys.publicKey,
        logger: createLogger('test'),
        subscriptions: { log: new InMemoryTopicLog(bus) },
        trustedDocuments: { mode },
      });
      gateways[mode] = { gateway, bus };
    }
  });

  afterAll(async () => {
    for (const { gateway, bus } of Object.values(gateways)) {
      await gateway.close();
      await bus.close();
    }
  });

  it.each(['enforce', 'off'] as const)(
    '%s: the typed client subscribes by id (off: falls back to the text) and receives events',
    async (mode) => {
      const { gateway, bus } = gateways[mode];
      const live = subscribe(gateway.url, StockLevelSubscription, { productId: `p-${mode}` });
      await waitFor(() => gateway.subscriptions?.subscriptionCount() === 1, { message: 'the subscription' });
      await bus.publish('stock.updated', `p-${mode}`, stockUpdatedEvent(`p-${mode}`, 7));
      const result = await live.waitFor((r) => r.data?.stockUpdated.available === 7);
      expect(result.data?.stockUpdated).toEqual({ productId: `p-${mode}`, available: 7, reserved: 0 });
      expect(live.results.every((r) => r.errors === undefined)).toBe(true);
      await live.close();
    },
  );

  it('enforce: refuses a subscription by text with TRUSTED_DOCUMENT_REQUIRED, an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    const { url } = gateways.enforce.gateway;
    const adHoc = subscribe(url, parse('subscription { stockUpdated { available } }'), {});
    const refused = await adHoc.waitFor((r) => r.errors !== undefined);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['TRUSTED_DOCUMENT_REQUIRED']);
    await adHoc.close();
    const unknown = `sha256:${sha256Hex('subscription { stockUpdated { available } }')}`;
    expect(await refusal(url, { documentId: unknown })).toEqual([
      expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }),
    ]);
    const apq = { persistedQuery: { version: 1, sha256Hash: unknown.slice('sha256:'.length) } };
    expect(await refusal(url, { extensions: apq })).toEqual([
      expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }),
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startCuttingProxy, type CuttingProxy } from '../harness/cutting-proxy.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { createProduct, login, stockOf } from './actors.js';
import { AdjustStockMutation, StockLevelSubscription } from './subscription-operations.js';

/** The typed client's auto-resume against the gateway and the real broker, its socket cut by a proxy. */
describe('the typed client resumes a dropped subscription through the gateway', () => {
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  let proxy: CuttingProxy;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    proxy = await startCuttingProxy(supergraph.gatewayUrl);
  });

  afterAll(async () => {
    await proxy?.close();
    await supergraph?.close();
  });

  it('delivers every stock change once, in order, while its socket is cut twice mid-stream', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Resumable Lamp',
      category: 'Lighting',
      price: 10,
      quantity: 1000,
    });
    await stockOf(client, productId);
    const live = createClient(proxy.url).subscribe(
      StockLevelSubscription,
      { productId },
      { resume: { baseDelayMs: 100, maxDelayMs: 1_000 } },
    );
    try {
      await live.connected;
      const service = supergraph.gateways[0]!.subscriptions!;
      await waitFor(() => service.subscriptionCount() >= 1, { message: 'the subscription registered' });

      const total = 60;
      for (let change = 1; change <= total; change += 1) {
        dataOf(await client.request(AdjustStockMutation, { productId, delta: -1 }, { token: adminToken }));
        // The changes right after a cut happen while the client is away: the resume replays them.
        if (change === 20 || change === 40) proxy.cut();
      }
      await live.waitFor((result) => result.data?.stockUpdated.available === 1000 - total, {
        timeoutMs: 60_000,
        message: 'the last change',
      });

      expect(live.results.map((result) => result.data?.stockUpdated.available)).toEqual(
        Array.from({ length: total }, (_, i) => 999 - i),
      );
      expect(live.reconnects).toBe(2);
      expect(new Set(live.results.map((result) => result.cursor)).size).toBe(total);
      expect(live.cursor).toBe(live.results.at(-1)?.cursor);
    } finally {
      await live.close();
    }
  });
});

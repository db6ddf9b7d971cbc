/**
 * `npm run bench:subscriptions [-- --subscribers 1000 --events 20]`: live-subscription fan-out on
 * the real servers (KAFKA_BROKERS, DATABASE_URL, MONGODB_URL, or those of `npm run infra:up` in
 * .infra/env), loopback only.
 *
 * This process runs the supergraph (test/harness/supergraph.ts). A child process opens N graphql-ws
 * subscribers on stockUpdated of one product, spread over three selections (stock only; + product
 * name; + product name, price and inventory), so that server memory is measured apart from clients.
 * M adjustStock mutations (sent to the inventory subgraph directly, so the request counters see the
 * subscription fetches only), one after another, each awaited until every subscriber has it. Prints
 * delivery latency from the mutation's response (the commit) to receipt, upstream fetches per event
 * and server memory per connection.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, dataOf } from '../test/client/client.js';
import { subscribe, type LiveSubscription } from '../test/client/subscriptions.js';
import {
  AdjustStockMutation,
  StockLevelSubscription,
  StockUpdatedSubscription,
  StockWithNameSubscription,
} from '../test/e2e/subscription-operations.js';
import { createProduct, login, stockOf } from '../test/e2e/actors.js';
import { intArg, loadInfraEnv } from '../test/harness/bench-args.js';

type ToClients =
  | { readonly type: 'open'; readonly url: string; readonly subscribers: number; readonly productId: string }
  | { readonly type: 'expect'; readonly available: number }
  | { readonly type: 'report' }
  | { readonly type: 'close' };
type FromClients =
  | { readonly type: 'opened' }
  | { readonly type: 'received'; readonly available: number }
  | { readonly type: 'report'; readonly receipts: Record<string, number[]> }
  | { readonly type: 'closed' };

/** What the three selections have in common. */
type StockDocument = TypedDocumentNode<
  { stockUpdated: { available: number } },
  { productId?: string | null }
>;

const now = (): number => performance.timeOrigin + performance.now();
const timeLimitMs = 5 * 60_000;

if (process.argv.includes('--resume')) await import('./bench-resume.js');
else if (process.argv.includes('--clients')) runClients();
else await runBench();

async function runBench(): Promise<void> {
  const subscribers = intArg('--subscribers', 1000, 1, 5000);
  const events = intArg('--events', 20, 1, 200);
  loadInfraEnv();
  process.env['LOG_LEVEL'] ??= 'error';
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const gc = exposeGc();
  const deadline = setTimeout(() => {
    console.error(`bench: gave up after ${timeLimitMs / 1000} s`);
    process.exit(2);
  }, timeLimitMs);
  deadline.unref();

  const { startSupergraph } = await import('../test/harness/supergraph.js');
  // The N subscribers all come from 127.0.0.1: raise the per-address limits to let them in.
  const perAddress = { points: subscribers * 2, seconds: 60 };
  const supergraph = await startSupergraph({
    rateLimits: {
      rates: { connectionsPerAddress: perAddress, requestsPerAddress: perAddress },
      caps: { openConnectionsPerAddress: subscribers },
    },
  });
  const child = fork(fileURLToPath(import.meta.url), ['--clients'], { execArgv: process.execArgv });
  try {
    const client = createClient(supergraph.gatewayUrl);
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    const start = 100_000;
    const productId = await createProduct(client, adminToken, {
      name: 'Bench Product',
      category: 'Bench',
      price: 10,
      quantity: start,
    });
    await stockOf(client, productId);
    const service = supergraph.gateways[0]?.subscriptions;
    if (!service) throw new Error('the gateway serves no subscriptions');

    gc();
    const before = process.memoryUsage();
    const opening = now();
    send(child, { type: 'open', url: supergraph.gatewayUrl, subscribers, productId });
    await receive(child, (message) => message.type === 'opened');
    while (service.subscriptionCount() < subscribers) await new Promise((resolve) => setTimeout(resolve, 20));
    const openMs = now() - opening;
    gc();
    const after = process.memoryUsage();

    const inventory = createClient(supergraph.subgraphs.inventory.url);
    supergraph.requests.reset();
    const committedAt = new Map<number, number>();
    const started = now();
    for (let i = 1; i <= events; i += 1) {
      const available = start - i;
      send(child, { type: 'expect', available });
      const received = receive(
        child,
        (message) => message.type === 'received' && message.available === available,
      );
      dataOf(await inventory.request(AdjustStockMutation, { productId, delta: -1 }, { token: adminToken }));
      committedAt.set(available, now());
      await received;
    }
    const elapsedMs = now() - started;
    send(child, { type: 'report' });
    const report = await receive(child, (message) => message.type === 'report');
    const latencies: number[] = [];
    if (report.type === 'report') {
      for (const [available, receipts] of Object.entries(report.receipts)) {
        const committed = committedAt.get(Number(available));
        if (committed !== undefined) for (const at of receipts) latencies.push(at - committed);
      }
    }
    latencies.sort((a, b) => a - b);
    const counts = supergraph.requests.counts();
    const metrics = await (await fetch(supergraph.gateways[0]!.metricsUrl)).text();

    const perEvent = Object.fromEntries(
      Object.entries(counts).map(([name, count]) => [name, count / events]),
    );
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    console.log(
      [
        `subscribers:            ${subscribers} (3 selections, one graphql-ws connection each, opened in ${(openMs / 1000).toFixed(1)} s)`,
        `events:                 ${events} adjustStock mutations, sequential (${(elapsedMs / events).toFixed(0)} ms per event round trip)`,
        `deliveries:             ${latencies.length} of ${subscribers * events}`,
        `latency commit->client: p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms, p99 ${pct(latencies, 99)} ms, max ${pct(latencies, 100)} ms`,
        `latency occurredAt->send (gateway histogram): mean ${histogramMean(metrics)} ms`,
        `upstream fetches/event: ${JSON.stringify(perEvent)} (independent of the subscriber count)`,
        `server memory:          heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}, rss ${mb(before.rss)} -> ${mb(after.rss)}${gc.exposed ? '' : ' (no gc)'}`,
        `per connection:         heap ${kb((after.heapUsed - before.heapUsed) / subscribers)}, rss ${kb((after.rss - before.rss) / subscribers)}`,
      ].join('\n'),
    );
  } finally {
    send(child, { type: 'close' });
    await receive(child, (message) => message.type === 'closed', 30_000).catch(() => child.kill());
    await supergraph.close();
    clearTimeout(deadline);
  }
}

/** The child process: N subscribers, receipt times per event. */
function runClients(): void {
  const lives: LiveSubscription<{ stockUpdated: { available: number } }>[] = [];
  const receipts = new Map<number, number[]>();
  let expected: number | undefined;
  const reply = (message: FromClients): void => void process.send?.(message);
  const record = (available: number): void => {
    const list = receipts.get(available) ?? [];
    list.push(now());
    receipts.set(available, list);
    if (available === expected && list.length === lives.length) reply({ type: 'received', available });
  };
  process.on('message', (message: ToClients) => {
    void (async () => {
      switch (message.type) {
        case 'open': {
          const documents: readonly StockDocument[] = [
            StockLevelSubscription,
            StockWithNameSubscription,
            StockUpdatedSubscription,
          ];
          for (let i = 0; i < message.subscribers; i += 1) {
            const live = subscribe(message.url, documents[i % 3]!, { productId: message.productId });
            lives.push(live);
            void (async () => {
              for await (const result of live) if (result.data) record(result.data.stockUpdated.available);
            })();
            if (i % 100 === 99) await Promise.all(lives.slice(-100).map((l) => l.connected));
          }
          await Promise.all(lives.map((live) => live.connected));
          reply({ type: 'opened' });
          return;
        }
        case 'expect':
          expected = message.available;
          if ((receipts.get(expected)?.length ?? 0) === lives.length)
            reply({ type: 'received', available: expected });
          return;
        case 'report':
          reply({ type: 'report', receipts: Object.fromEntries(receipts) });
          return;
        case 'close':
          await Promise.all(lives.map((live) => live.close()));
          reply({ type: 'closed' });
          process.exit(0);
      }
    })();
  });
}

function send(child: ChildProcess, message: ToClients): void {
  child.send(message);
}

function receive(
  child: ChildProcess,
  wanted: (message: FromClients) => boolean,
  timeoutMs = 60_000,
): Promise<FromClients> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('bench: the client process did not answer in time'));
    }, timeoutMs);
    const onMessage = (message: FromClients): void => {
      if (!wanted(message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
  });
}

function pct(sorted: readonly number[], p: number): string {
  if (sorted.length === 0) return '-';
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return (sorted[index] ?? 0).toFixed(1);
}

function histogramMean(metrics: string): string {
  const sum = /gateway_subscription_delivery_latency_seconds_sum\{field="stockUpdated"\} ([\d.e+-]+)/.exec(
    metrics,
  );
  const count = /gateway_subscription_delivery_latency_seconds_count\{field="stockUpdated"\} (\d+)/.exec(
    metrics,
  );
  if (!sum?.[1] || !count?.[1] || Number(count[1]) === 0) return '-';
  return ((Number(sum[1]) / Number(count[1])) * 1000).toFixed(1);
}

/** A `gc()` to call before measuring memory (a no-op when V8 refuses). */
function exposeGc(): (() => void) & { exposed: boolean } {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
  const collect = () => {
    if (typeof gc === 'function') (gc as () => void)();
  };
  return Object.assign(collect, { exposed: typeof gc === 'function' });
}

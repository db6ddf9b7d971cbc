/**
 * `npm run bench:subscriptions [-- --subscribers 1000 --events 20 --compare]`: live-subscription
 * fan-out on the real servers (KAFKA_BROKERS, DATABASE_URL, MONGODB_URL, or those of `npm run
 * infra:up` in .infra/env), loopback only.
 *
 * This process runs the supergraph (test/harness/supergraph.ts); a child process opens N bare
 * graphql-ws subscribers on stockUpdated (test/harness/bench-subscribers.ts), spread over three
 * selections (stock only; + product name; + product name, price and inventory) and over the
 * products, so that server memory is measured apart from clients. adjustStock mutations go to the
 * inventory subgraph directly (the request counters then see the subscription fetches only).
 *
 * - Default: M events to one product, one after another, each awaited until every subscriber has it.
 * - `--rate R --duration S [--products P]`: a sustained load of R events/s for S s, round robin
 *   over P products (default 100), the subscribers spread over them; nothing waits on delivery.
 * - `--direct`: the bench publishes the stock.updated events to Kafka itself (committed = produce
 *   acknowledged) instead of mutations: no outbox nor relay in the way, the gateway's path alone.
 * - `--apart`: the subgraphs (with their relays and consumers) in a child process, the gateway alone
 *   in this one, as deployed: the server CPU and memory are then the gateway's own.
 * - `--compare`: the fan-out of graphql-ws (each result serialised per subscriber, the whole
 *   fan-out in one turn of the event loop) against the service's (payload serialised once per
 *   group, frames written by the service, a yield every 500 subscribers), alternating per event
 *   (sequential) or per second (sustained) in the same run.
 *
 * Prints commit → client latency (from the mutation's response to receipt), each stage of the
 * gateway's histograms (occurredAt → produced → consumed → executed → written), deliveries, closed
 * subscribers, upstream fetches per event and server memory (per subscriber, start and end of load).
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Envelope, Topics } from '@commerce/common/events';
import { print } from 'graphql';
import { createClient, dataOf } from '../test/client/client.js';
import {
  AdjustStockMutation,
  StockLevelSubscription,
  StockUpdatedSubscription,
  StockWithNameSubscription,
} from '../test/e2e/subscription-operations.js';
import { createProduct, login, stockOf } from '../test/e2e/actors.js';
import { intArg, loadInfraEnv, stockEvent } from '../test/harness/bench.js';
import type { SupergraphApart } from '../test/harness/backend-process.js';
import type { RateLimitOptions } from '@commerce/gateway';
import {
  histogramOf,
  plus,
  since,
  summary,
  type HistogramSnapshot,
} from '../test/harness/bench-histograms.js';
import { now, runSubscriberProcess, SubscriberProcess } from '../test/harness/bench-subscribers.js';

/** The two ways of fanning out that `--compare` alternates. */
const fanOutModes = {
  'graphql-ws': { sharedFrames: false, chunk: Number.MAX_SAFE_INTEGER },
  shared: { sharedFrames: true, chunk: 500 },
} as const;
type FanOutMode = keyof typeof fanOutModes;

const stages = ['produced', 'consumed', 'executed', 'written'] as const;
type Stages = Record<(typeof stages)[number] | 'total', HistogramSnapshot>;

if (process.argv.includes('--resume')) await import('./bench-resume.js');
else if (process.argv.includes('--clients')) runSubscriberProcess();
else await runBench();

async function runBench(): Promise<void> {
  const subscribers = intArg('--subscribers', 1000, 1, 20_000);
  const rate = intArg('--rate', 0, 0, 2_000);
  const duration = intArg('--duration', 60, 1, 3_600);
  const events = intArg('--events', 20, 1, 1_000);
  const productCount = intArg('--products', rate > 0 ? 100 : 1, 1, 1_000);
  const direct = process.argv.includes('--direct');
  const apart = process.argv.includes('--apart');
  const selections = intArg('--selections', 3, 1, 3);
  const modes: readonly FanOutMode[] = process.argv.includes('--compare')
    ? ['graphql-ws', 'shared']
    : ['shared'];
  loadInfraEnv();
  process.env['LOG_LEVEL'] ??= 'error';
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const gc = exposeGc();
  const timeLimitMs = (rate > 0 ? duration : 0) * 1000 + 10 * 60_000;
  const deadline = setTimeout(() => {
    console.error(`bench: gave up after ${timeLimitMs / 1000} s`);
    process.exit(2);
  }, timeLimitMs);
  deadline.unref();

  // The N subscribers all come from 127.0.0.1: raise the per-address limits to let them in.
  const perAddress = { points: subscribers * 2 + productCount * 4, seconds: 60 };
  const supergraph = await startBenchSupergraph(apart, {
    rates: { connectionsPerAddress: perAddress, requestsPerAddress: perAddress },
    caps: { openConnectionsPerAddress: subscribers },
  });
  const child = new SubscriberProcess(
    fork(fileURLToPath(import.meta.url), ['--clients'], { execArgv: process.execArgv }),
  );
  try {
    const gateway = supergraph.gateways[0];
    const service = gateway?.subscriptions;
    if (!gateway || !service) throw new Error('the gateway serves no subscriptions');
    const client = createClient(supergraph.gatewayUrl);
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    const initial = 1_000_000;
    const products: string[] = [];
    for (let i = 0; i < productCount; i += 10) {
      const batch = Array.from({ length: Math.min(10, productCount - i) }, (_, j) =>
        createProduct(client, adminToken, {
          name: `Bench ${i + j}`,
          category: 'Bench',
          price: 10,
          quantity: initial,
        }),
      );
      products.push(...(await Promise.all(batch)));
    }
    await Promise.all(products.map((id) => stockOf(client, id)));

    gc();
    const idle = process.memoryUsage();
    child.send({
      type: 'open',
      url: supergraph.gatewayUrl,
      subscribers,
      products,
      queries: [StockLevelSubscription, StockWithNameSubscription, StockUpdatedSubscription]
        .slice(0, selections)
        .map((d) => print(d)),
    });
    const { ms: openMs } = await child.receive('opened');
    while (service.subscriptionCount() < subscribers) await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    const opened = process.memoryUsage();

    const inventory = createClient(supergraph.subgraphUrls.inventory);
    const mutate = async (productId: string): Promise<{ key: string; committedAt: number }> => {
      const { adjustStock } = dataOf(
        await inventory.request(AdjustStockMutation, { productId, delta: -1 }, { token: adminToken }),
      );
      return { key: `${productId}:${adjustStock.available}`, committedAt: now() };
    };
    // --direct: stock.updated events published to Kafka by this process (acknowledged = committed),
    // bypassing the mutation, the outbox and its relay: the gateway's path alone.
    const levels = new Map(products.map((id) => [id, initial]));
    const batcher = direct ? await kafkaBatcher(supergraph.kafka) : undefined;
    const publish = async (productId: string): Promise<{ key: string; committedAt: number }> => {
      const available = (levels.get(productId) ?? initial) - 1;
      levels.set(productId, available);
      const event = stockEvent(productId, available, initial - available + 1, {
        source: 'bench',
        correlationId: randomUUID(),
      });
      await batcher?.publish(productId, event);
      return { key: `${productId}:${available}`, committedAt: now() };
    };
    const adjust = direct ? publish : mutate;
    const stageSnapshot = async (): Promise<Stages> => {
      const text = await (await fetch(gateway.metricsUrl)).text();
      const field = 'stockUpdated';
      const of = (stage: string) =>
        histogramOf(text, 'gateway_subscription_stage_latency_seconds', { stage, field });
      return {
        produced: of('produced'),
        consumed: of('consumed'),
        executed: of('executed'),
        written: of('written'),
        total: histogramOf(text, 'gateway_subscription_delivery_latency_seconds', { field }),
      };
    };
    const subscribersOf = (productId: string): number => {
      const index = products.indexOf(productId);
      return Math.floor(subscribers / productCount) + (index < subscribers % productCount ? 1 : 0);
    };

    /** Per mode: commit time and mode of each event, stage histograms observed under it. */
    const committed = new Map<string, { at: number; mode: FanOutMode }>();
    const stagesOf = new Map<FanOutMode, Stages>();
    const addStages = (mode: FanOutMode, delta: Stages): void => {
      const sum = stagesOf.get(mode);
      stagesOf.set(
        mode,
        sum
          ? (Object.fromEntries(
              Object.entries(sum).map(([k, v]) => [k, plus(v, delta[k as keyof Stages])]),
            ) as Stages)
          : delta,
      );
    };
    supergraph.requests.reset();
    const cpuStart = process.cpuUsage();
    const subgraphsCpuStart = await supergraph.subgraphsCpuUsage();
    const loadStart = loadavg()[0] ?? 0;
    const started = now();
    let sent = 0;
    let failed = 0;
    const memory: number[] = [];
    if (rate === 0) {
      for (let i = 0; i < events; i += 1) {
        const mode = modes[i % modes.length] ?? 'shared';
        service.tuneFanOut(fanOutModes[mode]);
        const productId = products[i % products.length] ?? '';
        const before = await stageSnapshot();
        const available = initial - 1 - Math.floor(i / products.length);
        child.send({ type: 'expect', productId, available });
        const received = child.receive(
          'received',
          (m) => m.productId === productId && m.available === available,
        );
        const { key, committedAt } = await adjust(productId);
        committed.set(key, { at: committedAt, mode });
        sent += 1;
        await received;
        const after = await stageSnapshot();
        addStages(
          mode,
          Object.fromEntries(
            Object.entries(after).map(([k, v]) => [k, since(v, before[k as keyof Stages])]),
          ) as Stages,
        );
      }
    } else {
      const stageStart = await stageSnapshot();
      const intervalMs = 1000 / rate;
      const inFlight = new Set<Promise<void>>();
      const maxInFlight = 64;
      let phase = -1;
      const sampler = setInterval(() => memory.push(process.memoryUsage().heapUsed), 5_000);
      while (now() - started < duration * 1000) {
        // The load is open (nothing waits on delivery), but bounded: a saturated server is not
        // buried under ever more mutations; the events/s actually sent are reported.
        if (inFlight.size >= maxInFlight) {
          await Promise.race(inFlight);
          continue;
        }
        const elapsed = now() - started;
        const currentPhase = Math.floor(elapsed / 1000) % modes.length;
        const mode = modes[currentPhase] ?? 'shared';
        if (currentPhase !== phase) {
          phase = currentPhase;
          service.tuneFanOut(fanOutModes[mode]);
        }
        const productId = products[sent % products.length] ?? '';
        sent += 1;
        const pending = adjust(productId).then(
          ({ key, committedAt }) => void committed.set(key, { at: committedAt, mode }),
          () => void (failed += 1),
        );
        inFlight.add(pending);
        void pending.finally(() => inFlight.delete(pending));
        const next = started + sent * intervalMs;
        const wait = next - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await Promise.all(inFlight);
      clearInterval(sampler);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const stageEnd = await stageSnapshot();
      addStages(
        modes[0] ?? 'shared',
        Object.fromEntries(
          Object.entries(stageEnd).map(([k, v]) => [k, since(v, stageStart[k as keyof Stages])]),
        ) as Stages,
      );
    }
    const elapsedMs = now() - started;
    await batcher?.close();
    const cpu = process.cpuUsage(cpuStart);
    const subgraphsCpu = await supergraph.subgraphsCpuUsage();
    const subgraphsMicros =
      subgraphsCpu.user + subgraphsCpu.system - subgraphsCpuStart.user - subgraphsCpuStart.system;
    gc();
    const end = process.memoryUsage();
    child.send({ type: 'report' });
    const report = await child.receive('report');

    const latencies = new Map<FanOutMode, number[]>(modes.map((mode) => [mode, []]));
    let expected = 0;
    let deliveries = 0;
    for (const [key, { at, mode }] of committed) {
      expected += subscribersOf(key.slice(0, key.lastIndexOf(':')));
      for (const receivedAt of report.receipts[key] ?? []) {
        latencies.get(mode)?.push(receivedAt - at);
        deliveries += 1;
      }
    }
    const counts = supergraph.requests.counts();
    const metrics = await (await fetch(gateway.metricsUrl)).text();
    const slowClosed =
      /gateway_subscription_slow_closed_total\{field="stockUpdated"\} (\d+)/.exec(metrics)?.[1] ?? '0';
    const perEvent = Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count / sent]));
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    const load =
      rate === 0
        ? `${sent} ${direct ? 'events published to Kafka' : 'adjustStock mutations'}, sequential over ${productCount} product(s) (${(elapsedMs / sent).toFixed(0)} ms per event round trip)`
        : `${sent} ${direct ? 'events published to Kafka' : 'adjustStock mutations'} at ${rate}/s for ${duration} s over ${productCount} products (${((sent / elapsedMs) * 1000).toFixed(0)} events/s sent, ${failed} failed)`;
    const lines = [
      `subscribers:            ${subscribers} (${selections} selection(s), one graphql-ws connection each, ~${Math.round(subscribers / productCount)} per product, opened in ${(openMs / 1000).toFixed(1)} s)`,
      `events:                 ${load}`,
      `deliveries:             ${deliveries} of ${expected}; closed subscribers ${JSON.stringify(report.closed)} (slow-closed metric ${slowClosed}), errors ${report.errors}`,
    ];
    for (const mode of modes) {
      const sorted = (latencies.get(mode) ?? []).sort((a, b) => a - b);
      const label = modes.length > 1 ? `[${mode}] ` : '';
      lines.push(
        `${label}latency commit->client: p50 ${pct(sorted, 50)} ms, p95 ${pct(sorted, 95)} ms, p99 ${pct(sorted, 99)} ms, max ${pct(sorted, 100)} ms (n ${sorted.length})`,
      );
      const observed = stagesOf.get(mode);
      if (observed && (rate === 0 || mode === modes[0])) {
        const scope = rate > 0 && modes.length > 1 ? ' (whole run, both modes)' : '';
        lines.push(`${label}gateway stages${scope}:`);
        for (const stage of stages) lines.push(`  ${stage.padEnd(9)} ${summary(observed[stage])}`);
        lines.push(`  occurredAt->written ${summary(observed.total)}`);
      }
    }
    lines.push(
      `upstream fetches/event: ${JSON.stringify(perEvent)} (independent of the subscriber count)`,
      `server CPU during load: ${(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100).toFixed(0)}% of one core (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s), ${((cpu.user + cpu.system) / Math.max(1, deliveries)).toFixed(1)} µs per delivery (${apart ? `the gateway alone; the subgraph process ${((subgraphsMicros / 1000 / elapsedMs) * 100).toFixed(0)}% of one core` : 'everything in the process: subgraphs, relay, gateway'}); subscriber process ${(report.cpuMicros / Math.max(1, deliveries)).toFixed(1)} µs per receipt`,
      `machine load average:   ${loadStart.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end (2 cores; other work on the machine slows every figure)`,
      `server memory:          idle heap ${mb(idle.heapUsed)}, rss ${mb(idle.rss)}; subscribed heap ${mb(opened.heapUsed)}, rss ${mb(opened.rss)}; after load heap ${mb(end.heapUsed)}, rss ${mb(end.rss)}${gc.exposed ? '' : ' (no gc)'}`,
      `per subscriber:         heap ${kb((opened.heapUsed - idle.heapUsed) / subscribers)}, rss ${kb((opened.rss - idle.rss) / subscribers)}`,
    );
    if (memory.length > 0)
      lines.push(
        `heap during load (5 s): ${memory.map((bytes) => (bytes / 1024 / 1024).toFixed(0)).join(' ')} MiB`,
      );
    console.log(lines.join('\n'));
  } finally {
    await child.close();
    await supergraph.close();
    clearTimeout(deadline);
  }
}

/**
 * Publishes events as the outbox relays would, but in batches: the events of the last few ms go out
 * in one produce request (acks from all replicas), so that the load generator is not the limit.
 */
async function kafkaBatcher(kafka: SupergraphApart['kafka']) {
  if (!kafka) throw new Error('--direct needs Kafka');
  const producer = kafka.client.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let batch: { key: string; value: string; done: () => void; failed: (error: unknown) => void }[] = [];
  const flush = (): void => {
    const sending = batch;
    batch = [];
    producer
      .send({
        topic: `${kafka.topicPrefix}stock.updated`,
        acks: -1,
        messages: sending.map(({ key, value }) => ({ key, value })),
      })
      .then(
        () => sending.forEach(({ done }) => done()),
        (error: unknown) => sending.forEach(({ failed }) => failed(error)),
      );
  };
  return {
    publish: (key: string, event: Envelope<Topics['stock.updated']>) =>
      new Promise<void>((done, failed) => {
        if (batch.length === 0) setTimeout(flush, 2);
        batch.push({ key, value: JSON.stringify(event), done, failed });
      }),
    close: () => producer.disconnect(),
  };
}

function pct(sorted: readonly number[], p: number): string {
  if (sorted.length === 0) return '-';
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return (sorted[index] ?? 0).toFixed(1);
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

/**
 * The supergraph on the servers: all in this process, or (`apart`) the subgraphs in a child process
 * of their own. Imported late: the harness reads the servers' environment when loaded.
 */
async function startBenchSupergraph(
  apart: boolean,
  rateLimits: Omit<RateLimitOptions, 'databaseUrl'>,
): Promise<SupergraphApart> {
  if (apart) {
    const { startSupergraphApart } = await import('../test/harness/backend-process.js');
    return startSupergraphApart({ rateLimits });
  }
  const { startSupergraph } = await import('../test/harness/supergraph.js');
  const supergraph = await startSupergraph({ rateLimits });
  const subgraphUrls = Object.fromEntries(
    Object.values(supergraph.subgraphs).map(({ name, url }) => [name, url]),
  ) as SupergraphApart['subgraphUrls'];
  return { ...supergraph, subgraphUrls, subgraphsCpuUsage: () => Promise.resolve({ user: 0, system: 0 }) };
}

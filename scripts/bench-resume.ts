/**
 * `npm run bench:subscriptions -- --resume [--clients 1000 --behind 10000]`: N clients resuming at once
 * from one cursor, M events behind, on the real servers (loopback only).
 *
 * This process runs the supergraph (test/harness/supergraph.ts) and publishes M stock.updated events
 * of one product straight to Kafka after a cursor taken from a live subscriber. A child process then
 * opens N graphql-ws connections at once, each subscribing with `after: <cursor>`, and reports when
 * each has received all M events (then one live event). Prints the time until all are caught up,
 * replay deliveries/s, the replay readers the gateway opened, and the consumer groups Kafka gained.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEnvelope } from '@commerce/common/events';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import WebSocket from 'ws';
import { intArg, loadInfraEnv } from '../test/harness/bench.js';

type ToClients = {
  readonly url: string;
  readonly clients: number;
  readonly after: string;
  readonly expected: number;
};
type FromClients =
  | { readonly type: 'subscribed' }
  | { readonly type: 'caught-up'; readonly ms: readonly number[]; readonly duplicatesOrGaps: number };

const query =
  'subscription Resume($after: String) { stockUpdated(productId: "bench-resume", after: $after) { available } }';

if (process.argv.includes('--resume-clients')) runClients();
else await runBench();

async function runBench(): Promise<void> {
  const clients = intArg('--clients', 1000, 1, 5000);
  const behind = intArg('--behind', 10_000, 1, 100_000);
  loadInfraEnv();
  process.env['LOG_LEVEL'] ??= 'error';
  const { startSupergraph } = await import('../test/harness/supergraph.js');
  const perAddress = { points: clients * 4, seconds: 60 };
  const supergraph = await startSupergraph({
    rateLimits: {
      rates: { connectionsPerAddress: perAddress, requestsPerAddress: perAddress },
      caps: { openConnectionsPerAddress: clients * 2 },
    },
  });
  const kafka = supergraph.kafka;
  if (!kafka) throw new Error('the resume bench needs Kafka');
  const admin = kafka.client.admin();
  await admin.connect();
  const groupsBefore = new Set((await admin.listGroups()).groups.map(({ groupId }) => groupId));
  const stockEvent = (available: number) =>
    createEnvelope(
      'stock.updated',
      {
        productId: 'bench-resume',
        available,
        reserved: 0,
        reorderThreshold: 0,
        lowStock: false,
        reason: 'ADJUSTED',
        orderId: null,
        updatedAt: new Date().toISOString(),
        version: available + 1,
      },
      { source: 'bench', correlationId: randomUUID() },
    );
  const publish = (available: number) =>
    supergraph.bus.publish('stock.updated', 'bench-resume', stockEvent(available));
  // The backlog goes out in ordered batches (one produce request each): the log holds 1..M in order.
  const producer = kafka.client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const publishBatch = (from: number, count: number) =>
    producer.send({
      topic: `${kafka.topicPrefix}stock.updated`,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({
        key: 'bench-resume',
        value: JSON.stringify(stockEvent(from + i)),
      })),
    });
  try {
    const after = await cursorAfterFirstEvent(supergraph.gatewayUrl, () => publish(0));
    const publishing = performance.now();
    for (let sent = 1; sent <= behind; sent += 500)
      await publishBatch(sent, Math.min(500, behind - sent + 1));
    await producer.disconnect();
    console.log(`published ${behind} events in ${((performance.now() - publishing) / 1000).toFixed(1)} s`);

    const child = fork(fileURLToPath(import.meta.url), ['--resume-clients'], { execArgv: process.execArgv });
    const subscribed = new Promise<void>((resolve) => child.once('message', () => resolve()));
    const done = new Promise<FromClients>((resolve) =>
      child.on('message', (message: FromClients) => {
        if (message.type === 'caught-up') resolve(message);
      }),
    );
    const started = performance.now();
    child.send({ url: supergraph.gatewayUrl, clients, after, expected: behind + 1 } satisfies ToClients);
    await subscribed;
    // One live event once everyone is subscribed: the handoff from replay to live, for every client.
    await publish(behind + 1);
    const result = await done;
    const totalMs = performance.now() - started;
    child.kill();
    if (result.type !== 'caught-up') throw new Error('unexpected');
    const ms = [...result.ms].sort((a, b) => a - b);
    const metrics = await (await fetch(supergraph.gateways[0]?.metricsUrl ?? '')).text();
    const readers = Number(
      /gateway_subscription_replay_readers_total\{field="stockUpdated"\} (\d+)/.exec(metrics)?.[1] ?? 0,
    );
    const groupsAfter = (await admin.listGroups()).groups.map(({ groupId }) => groupId);
    const newGroups = groupsAfter.filter((group) => !groupsBefore.has(group) && group.includes('gateway'));
    console.log(`${clients} clients resuming ${behind} events behind (+1 live), one gateway instance:`);
    console.log(
      `  all caught up after      ${(totalMs / 1000).toFixed(1)} s (per client p50 ${pct(ms, 0.5)} s, p99 ${pct(ms, 0.99)} s)`,
    );
    console.log(
      `  replay deliveries/s      ${Math.round((clients * behind) / (totalMs / 1000))} (${Math.round(behind / (totalMs / 1000))} events/s per client)`,
    );
    console.log(`  duplicates or gaps       ${result.duplicatesOrGaps}`);
    console.log(
      `  replay readers opened    ${readers} (Kafka fetch clients: ${readers} + 4 live, one per topic)`,
    );
    console.log(`  consumer groups created  ${newGroups.length}`);
  } finally {
    await admin.disconnect();
    await supergraph.close();
  }
}

/** Subscribes once, triggers one event, and returns its cursor. */
async function cursorAfterFirstEvent(url: string, trigger: () => Promise<void>): Promise<string> {
  const socket = await open(url);
  return new Promise((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as {
        type: string;
        payload?: { extensions?: { cursor?: string } };
      };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: {} } }));
        setTimeout(() => void trigger().catch(reject), 200);
      } else if (message.type === 'next' && message.payload?.extensions?.cursor) {
        resolve(message.payload.extensions.cursor);
        socket.close();
      }
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  });
}

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), GRAPHQL_TRANSPORT_WS_PROTOCOL);
  return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
}

/** The child: N raw graphql-ws clients (little client CPU: counts and checks the order of `available`). */
function runClients(): void {
  process.once('message', (task: ToClients) => {
    void (async () => {
      const started = performance.now();
      const ms: number[] = [];
      let subscribedCount = 0;
      let duplicatesOrGaps = 0;
      await Promise.all(
        Array.from({ length: task.clients }, async () => {
          const socket = await open(task.url);
          let next = 1;
          await new Promise<void>((resolve) => {
            socket.on('message', (data: Buffer) => {
              const text = data.toString();
              if (text.includes('"connection_ack"')) {
                socket.send(
                  JSON.stringify({
                    id: '1',
                    type: 'subscribe',
                    payload: { query, variables: { after: task.after } },
                  }),
                );
                subscribedCount += 1;
                if (subscribedCount === task.clients)
                  process.send?.({ type: 'subscribed' } satisfies FromClients);
                return;
              }
              const available = Number(/"available":(\d+)/.exec(text)?.[1]);
              if (available !== next) duplicatesOrGaps += 1;
              next = available + 1;
              if (available === task.expected) {
                ms.push((performance.now() - started) / 1000);
                socket.close();
                resolve();
              }
            });
            socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
          });
        }),
      );
      process.send?.({ type: 'caught-up', ms, duplicatesOrGaps } satisfies FromClients);
    })();
  });
}

function pct(sorted: readonly number[], p: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1);
}

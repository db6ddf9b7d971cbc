/**
 * `npm run bench:limits [-- --rounds 5 --seconds 5 --connections 10 --servers]`: what the
 * operation limits cost. Gateway requests per second on the public catalog query, through two
 * gateway instances in front of the same subgraphs, one with the default limits and one with
 * OPERATION_LIMITS=off, measured alternately (on/off, then off/on) for --rounds rounds of
 * --seconds each, by autocannon in a child process (loopback only). Prints every round and the
 * medians side by side. `npm run bench:entity-cache` (`--lever entity-cache`) measures the same
 * way one gateway with ENTITY_CACHE=on against one with it off.
 *
 * The supergraph runs in this process (test/harness/supergraph.ts): embedded storage by default,
 * or with --servers the real ones of KAFKA_BROKERS, DATABASE_URL and MONGODB_URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { bounded, median } from '../test/harness/bench.js';

const catalogQuery =
  '{ products(first: 20) { edges { node { id name price category inventory { available reserved } } } } }';

interface LoadRequest {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
}
interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly failures: number;
}

if (process.argv.includes('--load')) runLoad();
else await runBench();

async function runBench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      servers: { type: 'boolean', default: false },
      lever: { type: 'string', default: 'limits' },
    },
  });
  if (values.lever !== 'limits' && values.lever !== 'entity-cache') {
    throw new Error('--lever must be limits or entity-cache');
  }
  const lever = values.lever === 'limits' ? 'limits' : 'entity cache';
  const rounds = bounded('rounds', values.rounds, 1, 20);
  const seconds = bounded('seconds', values.seconds, 1, 60);
  const connections = bounded('connections', values.connections, 1, 200);
  process.env['LOG_LEVEL'] ??= 'error';
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';

  const { defaultOperationLimits } = await import('@commerce/gateway');
  const { startSupergraph } = await import('../test/harness/supergraph.js');
  const { createClient } = await import('../test/client/client.js');
  const { createProduct, login, stockOf } = await import('../test/e2e/actors.js');
  const supergraph = await startSupergraph({
    storage: values.servers ? 'servers' : 'embedded',
    gatewayInstances: 2,
    // Every request comes from 127.0.0.1: without this, all but 1,200 a minute answer 429.
    rateLimits: { rates: { requestsPerAddress: { points: 1_000_000_000, seconds: 60 } } },
    ...(values.lever === 'limits'
      ? { operationLimits: [defaultOperationLimits, 'off'] }
      : { entityCache: [true, false] }),
  });
  const child = fork(fileURLToPath(import.meta.url), ['--load'], { execArgv: process.execArgv });
  try {
    const client = createClient(supergraph.gatewayUrl);
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    for (let i = 1; i <= 20; i += 1) {
      const id = await createProduct(client, adminToken, {
        name: `Bench product ${i}`,
        category: 'Bench',
        price: 10 + i,
        quantity: 100,
      });
      await stockOf(client, id);
    }
    const [on, off] = supergraph.gateways.map((gateway) => gateway.url);
    if (!on || !off) throw new Error('two gateway instances expected');
    for (const url of [on, off]) await expectCatalog(url);

    const load = (url: string, forSeconds: number): Promise<LoadResult> =>
      request(child, { url, seconds: forSeconds, connections });
    console.log(`warming up both gateways (${seconds} s each)`);
    await load(on, seconds);
    await load(off, seconds);
    const results: { on: LoadResult; off: LoadResult }[] = [];
    console.log(
      `\n${connections} connections, ${seconds} s per measure\nround  ${lever} on req/s  ${lever} off req/s`,
    );
    for (let round = 1; round <= rounds; round += 1) {
      // Alternate which side goes first, so that neither always runs on a warmer process.
      const first = round % 2 === 1 ? await load(on, seconds) : await load(off, seconds);
      const second = round % 2 === 1 ? await load(off, seconds) : await load(on, seconds);
      const measured = round % 2 === 1 ? { on: first, off: second } : { on: second, off: first };
      results.push(measured);
      console.log(
        `${String(round).padStart(5)}  ${describe(measured.on).padStart(lever.length + 13)}  ${describe(measured.off).padStart(lever.length + 14)}`,
      );
    }
    const medianOn = median(results.map(({ on: result }) => result.requestsPerSecond));
    const medianOff = median(results.map(({ off: result }) => result.requestsPerSecond));
    const failures = results.reduce((sum, { on: a, off: b }) => sum + a.failures + b.failures, 0);
    console.log(
      `\nmedian req/s: ${lever} on ${medianOn.toFixed(0)}, ${lever} off ${medianOff.toFixed(0)} ` +
        `(${(((medianOn - medianOff) / medianOff) * 100).toFixed(1)}%); failed requests: ${failures}`,
    );
  } finally {
    child.kill();
    await supergraph.close();
  }
}

/** The child process: runs autocannon for each request of its parent and answers with the figures. */
function runLoad(): void {
  process.on('message', (message: LoadRequest) => {
    void autocannon({
      url: message.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: catalogQuery }),
      duration: message.seconds,
      connections: message.connections,
    }).then((result) => {
      const answer: LoadResult = {
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        failures: result.errors + result.timeouts + result.non2xx,
      };
      process.send?.(answer);
    });
  });
}

function request(child: ChildProcess, load: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve) => {
    child.once('message', (result: LoadResult) => resolve(result));
    child.send(load);
  });
}

async function expectCatalog(url: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: catalogQuery }),
  });
  const body = (await response.json()) as { data?: { products: { edges: unknown[] } }; errors?: unknown };
  if (response.status !== 200 || body.errors || body.data?.products.edges.length !== 20) {
    throw new Error(`The catalog query failed at ${url}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

function describe(result: LoadResult): string {
  return `${result.requestsPerSecond.toFixed(0)} (p50 ${result.p50Ms} ms)`;
}

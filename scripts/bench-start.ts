/**
 * `npm run bench:start [-- --rounds 5 --seconds 10 --connections 50 --customers 1 --entity-cache on]`:
 * `npm start` on the real servers (KAFKA_BROKERS, DATABASE_URL, MONGODB_URL) with a process per
 * service (START_PROCESSES=per-service, the default) against all in one process
 * (START_PROCESSES=one): both run at once, each as a real `npm start` on its own databases, topics
 * and free ports, with the same data (bench:gateway's: 20 products, customers with three orders).
 *
 * For each of bench:gateway's queries (the public catalog, then a customer's orders) the two are
 * measured alternately with autocannon (in a child process), --rounds rounds of --seconds each
 * side, and the script prints requests/s, p50/p99 latency, CPU (the cores npm start's processes kept
 * busy, its busiest process's share, and the whole machine's) and failed requests of every measure,
 * the medians and the ratio per-service/one; it exits with 1 when any request failed. Both run with
 * LOG_LEVEL=warn (the request lines would fill this script's pipe), the request rate limit lifted,
 * and ENTITY_CACHE as --entity-cache says (off: every entity fetch reaches the subgraphs).
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bounded, loadInfraEnv, median } from '../test/harness/bench.js';
import {
  catalogQuery,
  expectAnswer,
  load,
  loadOptions,
  ordersQuery,
  runLoad,
  seed,
  type LoadResult,
} from '../test/harness/bench-load.js';
import { commandOf, cpuSecondsOfTree, machineBusySeconds } from '../test/harness/processes.js';

type Side = 'per-service' | 'one';
const sides: readonly Side[] = ['per-service', 'one'];

if (process.argv[2] === '--load') runLoad();
else process.exitCode = await runBench();

async function runBench(): Promise<number> {
  loadInfraEnv();
  const { values } = parseArgs({
    options: {
      ...loadOptions,
      'entity-cache': { type: 'string', default: 'on' },
    },
  });
  const rounds = bounded('rounds', values.rounds, 1, 20);
  const seconds = bounded('seconds', values.seconds, 1, 120);
  const connections = bounded('connections', values.connections, 1, 500);
  const customers = bounded('customers', values.customers, 1, 200);
  const entityCache = values['entity-cache'] === 'off' ? 'off' : 'on';
  const { startNpmStart } = await import('../test/harness/npm-start.js');
  console.log(
    `load average before: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(', ')}`,
  );

  const env = {
    ENTITY_CACHE: entityCache,
    RATE_LIMIT_REQUESTS_PER_ADDRESS: '100000000/1m',
    LOG_LEVEL: 'warn',
  };
  const started = await Promise.allSettled(
    sides.map((side) => startNpmStart(`bench_start_${side.replace('-', '_')}`, side, env)),
  );
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const loader = fork(fileURLToPath(import.meta.url), ['--load'], { execArgv: process.execArgv });
  try {
    const failedStart = started.find((result) => result.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    const [perService, one] = running;
    if (!perService || !one) throw new Error('npm start did not start');
    const url: Record<Side, string> = { 'per-service': perService.url, one: one.url };
    const tokens: Record<Side, string[]> = {
      'per-service': await seed(perService.url, perService.admin, customers),
      one: await seed(one.url, one.admin, customers),
    };
    const queries = [
      { name: 'catalog', query: catalogQuery, anonymous: true },
      { name: 'orders', query: ordersQuery, anonymous: false },
    ] as const;
    for (const { name, query, anonymous } of queries) {
      for (const side of sides)
        await expectAnswer(url[side], query, anonymous ? undefined : tokens[side][0], name);
    }
    console.log(
      `npm start per-service (${perService.processes} processes) vs one (${one.processes}): ENTITY_CACHE=${entityCache}, ` +
        `${connections} connections, ${seconds} s per measure, ${rounds} rounds per query, alternating; ` +
        `orders of ${customers} customer(s) in turn`,
    );
    let failures = 0;
    const summary: string[] = [];
    for (const { name, query, anonymous } of queries) {
      const measure = async (side: Side, forSeconds: number): Promise<Measure> => {
        const pid = (side === 'per-service' ? perService : one).child.pid ?? 0;
        const before = cpuSecondsOfTree(pid);
        const machineBefore = machineBusySeconds();
        const started = performance.now();
        const result = await load(loader, {
          url: url[side],
          query,
          tokens: anonymous ? [] : tokens[side],
          seconds: forSeconds,
          connections,
        });
        const wall = (performance.now() - started) / 1000;
        const machine = (machineBusySeconds() - machineBefore) / wall;
        const cores = [...cpuSecondsOfTree(pid)].map(([each, after]) => ({
          pid: each,
          cores: (after - (before.get(each) ?? 0)) / wall,
        }));
        const busiest = cores.reduce((a, b) => (b.cores > a.cores ? b : a), { pid, cores: 0 });
        return {
          ...result,
          cores: cores.reduce((sum, each) => sum + each.cores, 0),
          busiest: busiest.cores,
          busiestName: serviceOf(busiest.pid),
          machine,
        };
      };
      console.log(`\n${name}: warming up both (${Math.min(seconds, 5)} s each)`);
      for (const side of sides) failures += (await measure(side, Math.min(seconds, 5))).failures;
      console.log(`round  ${'per-service'.padEnd(70)}  one`);
      const results: Record<Side, Measure>[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        // Alternate which side goes first, so that neither always runs on a warmer machine.
        const order = round % 2 === 1 ? sides : [...sides].reverse();
        const measured: Partial<Record<Side, Measure>> = {};
        for (const side of order) measured[side] = await measure(side, seconds);
        const both = { 'per-service': measured['per-service'], one: measured.one } as Record<Side, Measure>;
        results.push(both);
        failures += both['per-service'].failures + both.one.failures;
        console.log(
          `${String(round).padStart(5)}  ${describe(both['per-service']).padEnd(70)}  ${describe(both.one)}`,
        );
        for (const side of sides) {
          const first = both[side].firstFailure;
          if (first) console.log(`       first failure (${side}): ${first}`);
        }
      }
      const med = (side: Side, pick: (m: Measure) => number): number =>
        median(results.map((r) => pick(r[side])));
      const line = (side: Side): string =>
        `${med(side, (m) => m.requestsPerSecond).toFixed(0)} req/s, p50 ${med(side, (m) => m.p50Ms)} ms, ` +
        `p99 ${med(side, (m) => m.p99Ms)} ms, ${med(side, (m) => m.cores).toFixed(2)} cores busy ` +
        `(busiest process ${med(side, (m) => m.busiest).toFixed(2)}; machine ${med(side, (m) => m.machine).toFixed(2)} of ${cpus().length})`;
      const ratio = med('per-service', (m) => m.requestsPerSecond) / med('one', (m) => m.requestsPerSecond);
      summary.push(`${name.padEnd(8)} per-service ${line('per-service')}`);
      summary.push(`${''.padEnd(8)} one         ${line('one')}`);
      summary.push(`${''.padEnd(8)} ratio per-service/one ${ratio.toFixed(2)}×`);
    }
    console.log(`\nmedians\n${summary.join('\n')}\nfailed requests (all measures): ${failures}`);
    console.log(
      `load average after: ${loadavg()
        .map((load) => load.toFixed(1))
        .join(', ')}`,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    loader.kill();
    await Promise.all(
      running.map(async (start) => {
        start.child.kill('SIGTERM');
        await start.child.exited;
        await start.cleanUp();
      }),
    );
  }
}

interface Measure extends LoadResult {
  /** CPU time of npm start's processes per second of the measure. */
  readonly cores: number;
  /** That of its busiest process, and which one it was. */
  readonly busiest: number;
  readonly busiestName: string;
  /** The whole machine's busy CPU time per second (every process: autocannon, the servers, other jobs). */
  readonly machine: number;
}

/** `users` for a service process of npm start, `npm start` for npm start itself. */
function serviceOf(pid: number): string {
  return /\/scripts\/service\.ts (\S+)/.exec(commandOf(pid))?.[1] ?? 'npm start';
}

function describe(result: Measure): string {
  return (
    `${result.requestsPerSecond.toFixed(0)}/s p50 ${result.p50Ms} p99 ${result.p99Ms} ` +
    `cpu ${result.cores.toFixed(2)} (${result.busiestName} ${result.busiest.toFixed(2)}) ` +
    `machine ${result.machine.toFixed(2)} fail ${result.failures}`
  );
}

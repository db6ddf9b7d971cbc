/**
 * `npm run bench:gateway [-- --rounds 5 --seconds 10 --connections 50 --customers 1 --log-level info
 * --dedup on]`: the project's gateway against a stock Apollo Gateway (plain ApolloServer +
 * ApolloGateway on the same supergraph SDL and subgraph URLs, forwarding the Authorization header,
 * nothing else), in front of the same four subgraphs on the real servers (KAFKA_BROKERS,
 * DATABASE_URL, MONGODB_URL).
 *
 * The subgraphs run once, in this process, on fresh databases and topics of this run. Each gateway
 * runs in a child process of its own (so that its CPU time is its own), autocannon in a third. For
 * each query (the public catalog, then an authenticated customer's orders) the two gateways are
 * measured alternately, --rounds rounds of --seconds each side, and the script prints requests/s,
 * p50/p99 latency, CPU per request (the gateway's, + this process's: the subgraphs') and failed
 * requests of every measure, the medians and the ratio ours/stock. A failed request is a socket
 * error, a timeout, a non-2xx status or a body with GraphQL errors; the script exits with 1 when
 * there was any.
 *
 * The orders query goes out with the tokens of --customers customers in turn (each with three
 * orders). With one, every request is the same viewer's, so our gateway's deduplication of identical
 * in-flight subgraph queries (never shared across viewers) shares nearly every fetch; more customers
 * show the cost when it shares less. --dedup off measures our gateway without it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
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

type Side = 'ours' | 'stock';

/** parent → gateway child */
interface GatewayStart {
  readonly kind: 'start';
  readonly subgraphUrls: Record<string, string>;
  readonly jwtPublicKey: string;
  /** Ours only: deduplicate identical in-flight subgraph queries. */
  readonly deduplicate: boolean;
}
/** gateway child → parent */
type GatewayAnswer =
  { readonly kind: 'started'; readonly url: string } | { readonly kind: 'cpu'; readonly micros: number };

interface Measure extends LoadResult {
  /** The gateway process's CPU time per request. */
  readonly cpuMsPerRequest: number;
  /** This process's (the four subgraphs') CPU time per gateway request. */
  readonly subgraphsCpuMsPerRequest: number;
}

const role = process.argv[2];
if (role === '--load') runLoad();
else if (role === '--gateway-ours' || role === '--gateway-stock')
  runGateway(role === '--gateway-ours' ? 'ours' : 'stock');
else process.exitCode = await runBench();

async function runBench(): Promise<number> {
  loadInfraEnv();
  const { values } = parseArgs({
    options: {
      ...loadOptions,
      'log-level': { type: 'string', default: 'info' },
      dedup: { type: 'string', default: 'on' },
    },
  });
  const rounds = bounded('rounds', values.rounds, 1, 20);
  const seconds = bounded('seconds', values.seconds, 1, 120);
  const connections = bounded('connections', values.connections, 1, 500);
  const customers = bounded('customers', values.customers, 1, 200);
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';

  const { generateKeyPair } = await import('@commerce/common/auth');
  const { createLogger } = await import('@commerce/common/logger');
  const { Closers, openServerStorage, startSubgraphs } = await import('@commerce/supergraph');
  const { createTestKafkaBus } = await import('../test/harness/kafka.js');
  const { createMongoDatabase, createPostgresDatabase } = await import('../test/harness/servers.js');

  // The subgraphs' own request lines would drown the report: they log warnings and errors only.
  const logger = createLogger('bench', process.env['LOG_LEVEL'] ?? 'warn');
  const keys = generateKeyPair();
  const admin = {
    email: 'admin@example.com',
    password: `Adm1n-${randomBytes(12).toString('base64url')}`,
  };
  const closers = new Closers();
  const children: ChildProcess[] = [];
  try {
    const testBus = await createTestKafkaBus('bench_gateway', logger);
    closers.push(() => testBus.close());
    const opened = await openServerStorage(async (subgraph) => {
      const database =
        subgraph.server === 'postgres'
          ? await createPostgresDatabase(`bench_${subgraph.name}`)
          : await createMongoDatabase(`bench_${subgraph.name}`);
      closers.push(() => database.drop());
      return database.url;
    }, closers);
    const subgraphs = await startSubgraphs(
      opened,
      {
        bus: testBus.bus,
        jwt: {
          ...keys,
          accessTokenTtlSeconds: 3600,
          refreshTokenTtlSeconds: 86_400,
        },
        logger,
        admin,
        ports: 'free',
      },
      closers,
    );
    const subgraphUrls = Object.fromEntries(Object.values(subgraphs).map(({ name, url }) => [name, url]));
    const gatewayLogLevel = values['log-level'];
    const start = (side: Side): Promise<{ child: ChildProcess; url: string }> =>
      startGatewayChild(
        side,
        {
          kind: 'start',
          subgraphUrls,
          jwtPublicKey: keys.publicKey,
          deduplicate: values.dedup !== 'off',
        },
        gatewayLogLevel,
      );
    const ours = await start('ours');
    children.push(ours.child);
    const stock = await start('stock');
    children.push(stock.child);
    const loader = fork(fileURLToPath(import.meta.url), ['--load'], {
      execArgv: process.execArgv,
    });
    children.push(loader);

    const tokens = await seed(ours.url, admin, customers);
    const queries = [
      { name: 'catalog', query: catalogQuery, tokens: [] },
      { name: 'orders', query: ordersQuery, tokens },
    ] as const;
    for (const { name, query, tokens: bearers } of queries) {
      for (const side of [ours, stock]) await expectAnswer(side.url, query, bearers[0], name);
    }
    console.log(
      `ours: log level ${gatewayLogLevel}, deduplication ${values.dedup}; ${connections} connections, ${seconds} s per measure, ` +
        `${rounds} rounds per query, alternating; orders of ${customers} customer(s) in turn`,
    );
    let failures = 0;
    const summary: string[] = [];
    for (const { name, query, tokens: bearers } of queries) {
      const measure = async (
        side: { child: ChildProcess; url: string },
        forSeconds: number,
      ): Promise<Measure> => {
        const before = await cpuOf(side.child);
        const subgraphsBefore = process.cpuUsage();
        const result = await load(loader, {
          url: side.url,
          query,
          tokens: bearers,
          seconds: forSeconds,
          connections,
        });
        const cpuMicros = (await cpuOf(side.child)) - before;
        const { user, system } = process.cpuUsage(subgraphsBefore);
        const perRequest = (micros: number): number => micros / 1000 / Math.max(result.requests, 1);
        return {
          ...result,
          cpuMsPerRequest: perRequest(cpuMicros),
          subgraphsCpuMsPerRequest: perRequest(user + system),
        };
      };
      console.log(`\n${name}: warming up both gateways (${Math.min(seconds, 5)} s each)`);
      for (const side of [ours, stock]) failures += (await measure(side, Math.min(seconds, 5))).failures;
      console.log(`round  ${'ours'.padEnd(44)}  stock`);
      const results: { ours: Measure; stock: Measure }[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        // Alternate which side goes first, so that neither always runs on a warmer machine.
        const oursFirst = round % 2 === 1;
        const first = await measure(oursFirst ? ours : stock, seconds);
        const second = await measure(oursFirst ? stock : ours, seconds);
        const measured = oursFirst ? { ours: first, stock: second } : { ours: second, stock: first };
        results.push(measured);
        failures += measured.ours.failures + measured.stock.failures;
        console.log(
          `${String(round).padStart(5)}  ${describe(measured.ours).padEnd(44)}  ${describe(measured.stock)}`,
        );
        for (const { firstFailure } of [measured.ours, measured.stock]) {
          if (firstFailure) console.log(`       first failure: ${firstFailure}`);
        }
      }
      const med = (side: Side, pick: (m: Measure) => number): number =>
        median(results.map((r) => pick(r[side])));
      const line = (side: Side): string =>
        `${med(side, (m) => m.requestsPerSecond).toFixed(0)} req/s, p50 ${med(side, (m) => m.p50Ms)} ms, ` +
        `p99 ${med(side, (m) => m.p99Ms)} ms, ${med(side, (m) => m.cpuMsPerRequest).toFixed(2)} ms CPU/req ` +
        `(subgraphs ${med(side, (m) => m.subgraphsCpuMsPerRequest).toFixed(2)})`;
      const ratio = med('ours', (m) => m.requestsPerSecond) / med('stock', (m) => m.requestsPerSecond);
      summary.push(`${name.padEnd(8)} ours  ${line('ours')}`);
      summary.push(`${''.padEnd(8)} stock ${line('stock')}`);
      summary.push(`${''.padEnd(8)} ratio ours/stock ${ratio.toFixed(2)}×`);
    }
    console.log(`\nmedians\n${summary.join('\n')}\nfailed requests (all measures): ${failures}`);
    return failures === 0 ? 0 : 1;
  } finally {
    for (const child of children) child.kill();
    await closers.closeAll('The benchmark');
  }
}

/** A gateway child process: starts its gateway on a free port, then answers CPU readings. */
function runGateway(side: Side): void {
  process.on('message', (message: GatewayStart | { kind: 'cpu' }) => {
    if (message.kind === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({
        kind: 'cpu',
        micros: user + system,
      } satisfies GatewayAnswer);
      return;
    }
    void (side === 'ours' ? startOurs(message) : startStock(message)).then((url) =>
      process.send?.({ kind: 'started', url } satisfies GatewayAnswer),
    );
  });
}

async function startOurs(message: GatewayStart): Promise<string> {
  const { createLogger } = await import('@commerce/common/logger');
  const { startGateway } = await import('@commerce/gateway');
  const { supergraphSdl } = await import('@commerce/supergraph');
  const gateway = await startGateway({
    supergraphSdl: supergraphSdl(),
    subgraphUrls: message.subgraphUrls,
    jwtPublicKey: message.jwtPublicKey,
    logger: createLogger('gateway'),
    deduplicateFetches: message.deduplicate,
    // Rate limits stay on, counted in memory as by default; one address may spend a benchmark's worth.
    rateLimits: {
      rates: { requestsPerAddress: { points: 100_000_000, seconds: 60 } },
    },
  });
  return gateway.url;
}

async function startStock(message: GatewayStart): Promise<string> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { supergraphSdl } = await import('@commerce/supergraph');
  interface Context {
    readonly authorization: string | undefined;
  }
  class ForwardingDataSource extends RemoteGraphQLDataSource<Context> {
    override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
      const authorization = (context as Partial<Context>).authorization;
      if (authorization) request.http?.headers.set('authorization', authorization);
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSdl(),
    buildService: ({ name, url }) => new ForwardingDataSource({ url: message.subgraphUrls[name] ?? url }),
  });
  const server = new ApolloServer<Context>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: ({ req }) => Promise.resolve({ authorization: req.headers.authorization }),
  });
  return url.replace(/\/?$/, '/graphql').replace('localhost', '127.0.0.1');
}

function startGatewayChild(
  side: Side,
  start: GatewayStart,
  logLevel: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [`--gateway-${side}`], {
    execArgv: process.execArgv,
    // Its log lines are written (the cost of logging counts) but not shown.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, LOG_LEVEL: logLevel, LOG_FORMAT: 'json' },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The ${side} gateway exited (${code})`)));
    child.once('message', (answer: GatewayAnswer) => {
      if (answer.kind === 'started') resolve({ child, url: answer.url });
    });
    child.send(start);
  });
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (answer: GatewayAnswer): void => {
      if (answer.kind !== 'cpu') return;
      child.off('message', onMessage);
      resolve(answer.micros);
    };
    child.on('message', onMessage);
    child.send({ kind: 'cpu' });
  });
}

function describe(result: Measure): string {
  return (
    `${result.requestsPerSecond.toFixed(0)}/s p50 ${result.p50Ms} p99 ${result.p99Ms} ` +
    `cpu ${result.cpuMsPerRequest.toFixed(2)}+${result.subgraphsCpuMsPerRequest.toFixed(2)} fail ${result.failures}`
  );
}

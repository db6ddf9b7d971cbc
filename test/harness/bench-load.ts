/**
 * The load of the gateway benchmarks (scripts/bench-gateway.ts, scripts/bench-start.ts): their two
 * queries, the data they read, and autocannon in a child process of the benchmark.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The public catalog: 20 products with their stock (products, then inventory). */
export const catalogQuery =
  '{ products(first: 20) { edges { node { id name price category inventory { available reserved } } } } }';
/** An authenticated customer's orders with their products and stock (users, orders, products, inventory). */
export const ordersQuery =
  '{ me { email orders { id total status items { quantity unitPrice product { name price inventory { available } } } } } }';

/** The command-line options of the alternating HTTP benches (bench:gateway, bench:start), for parseArgs. */
export const loadOptions = {
  rounds: { type: 'string', default: '5' },
  seconds: { type: 'string', default: '10' },
  connections: { type: 'string', default: '50' },
  customers: { type: 'string', default: '1' },
} as const;

export interface LoadRequest {
  readonly url: string;
  readonly query: string;
  /** Bearer tokens, one per request in turn (none: anonymous). */
  readonly tokens: readonly string[];
  readonly seconds: number;
  readonly connections: number;
}
export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors, timeouts, non-2xx answers and 2xx answers with GraphQL errors. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
}

/** Signs the admin in, creates 20 products, and customers with three orders each; returns their tokens. */
export async function seed(
  gatewayUrl: string,
  admin: { email: string; password: string },
  customers: number,
): Promise<string[]> {
  const { createClient, dataOf } = await import('../client/client.js');
  const { createProduct, exampleAddress, login, placeOrder, signUpCustomer, stockOf } =
    await import('../e2e/actors.js');
  const client = createClient(gatewayUrl);
  const adminToken = await login(client, admin.email, admin.password);
  const products: string[] = [];
  for (let i = 1; i <= 20; i += 1) {
    const id = await createProduct(client, adminToken, {
      name: `Bench product ${i}`,
      category: 'Bench',
      price: 10 + i,
      quantity: 1000,
    });
    await stockOf(client, id);
    products.push(id);
  }
  const tokens: string[] = [];
  for (let c = 0; c < customers; c += 1) {
    const customer = await signUpCustomer(client, `bench-${randomBytes(4).toString('hex')}@example.com`);
    for (let i = 0; i < 3; i += 1) {
      const items = products.slice(i * 3, i * 3 + 3).map((productId) => ({ productId, quantity: 1 + i }));
      dataOf(
        await placeOrder(client, customer.token, {
          items,
          shippingAddress: exampleAddress,
        }),
      );
    }
    tokens.push(customer.token);
  }
  return tokens;
}

/** The load child: runs autocannon for each request of its parent and answers with the figures. */
export function runLoad(): void {
  process.on('message', (message: LoadRequest) => {
    void import('autocannon').then(async ({ default: autocannon }) => {
      let graphqlErrors = 0;
      let sent = 0;
      let firstFailure: string | undefined;
      const result = await autocannon({
        url: message.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: message.query }),
        duration: message.seconds,
        connections: message.connections,
        requests: [
          {
            setupRequest: (request) => {
              const token = message.tokens[sent++ % Math.max(message.tokens.length, 1)];
              return token
                ? {
                    ...request,
                    headers: {
                      ...request.headers,
                      authorization: `Bearer ${token}`,
                    },
                  }
                : request;
            },
            onResponse: (status: number, body: string) => {
              if (status >= 200 && status < 300 && !body.includes('"errors"')) return;
              if (status < 300) graphqlErrors += 1;
              firstFailure ??= `${status} ${body.slice(0, 300)}`;
            },
          },
        ],
      });
      const answer: LoadResult = {
        requests: result.requests.total,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        failures: result.errors + result.timeouts + result.non2xx + graphqlErrors,
        firstFailure:
          firstFailure ?? (result.errors + result.timeouts > 0 ? 'socket error or timeout' : undefined),
      };
      process.send?.(answer);
    });
  });
}

export function load(child: ChildProcess, request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve) => {
    child.once('message', (result: LoadResult) => resolve(result));
    child.send(request);
  });
}

/** Throws unless `query` answers 200 without errors at `url`. */
export async function expectAnswer(
  url: string,
  query: string,
  token: string | undefined,
  name: string,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) {
    throw new Error(`The ${name} query failed at ${url}: ${response.status} ${text.slice(0, 500)}`);
  }
}

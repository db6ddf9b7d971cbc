import { setTimeout as sleep } from 'node:timers/promises';
import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, createClient, type LiveConnection } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { signUpCustomer } from './actors.js';
import { LoginMutation } from './operations.js';
import { StockLevelSubscription } from './subscription-operations.js';

/** The failed-login window of this file: short, so that the test can wait for it to pass. */
const loginWindowSeconds = 15;
const maxConnectionsPerAddress = 5;

/** Rate limits and WebSocket caps, on two gateway instances sharing their counters in PostgreSQL. */
describe('rate limits and WebSocket caps through the gateway', () => {
  let supergraph: Supergraph;
  const open: LiveConnection[] = [];

  const connection = (instance = 0): LiveConnection => {
    const opened = connect(supergraph.gateways[instance]!.url);
    open.push(opened);
    return opened;
  };
  const service = (instance = 0) => {
    const subscriptions = supergraph.gateways[instance]?.subscriptions;
    if (!subscriptions) throw new Error(`gateway ${instance} serves no subscriptions`);
    return subscriptions;
  };

  /** POST login to one instance, with the status and Retry-After the typed client does not show. */
  async function login(instance: number, email: string, password: string) {
    const response = await fetch(supergraph.gateways[instance]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(LoginMutation), variables: { email, password } }),
    });
    const body = (await response.json()) as {
      data?: { login?: { accessToken: string } } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    return {
      status: response.status,
      retryAfter: Number(response.headers.get('retry-after')),
      code: body.errors?.[0]?.extensions?.code,
      message: body.errors?.[0]?.message,
      token: body.data?.login?.accessToken,
    };
  }

  beforeAll(async () => {
    supergraph = await startSupergraph({
      gatewayInstances: 2,
      rateLimits: {
        rates: { loginFailuresPerAccount: { points: 10, seconds: loginWindowSeconds } },
        caps: { openConnectionsPerAddress: maxConnectionsPerAddress },
      },
    });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((opened) => opened.close()));
    await waitFor(() => service(0).connectionCount() === 0 && service(1).connectionCount() === 0, {
      message: 'every connection closed',
    });
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  it('refuses an account after its failed logins with 429 and Retry-After on every instance, until the window passes', async () => {
    const email = 'guessed@example.com';
    await signUpCustomer(createClient(supergraph.gatewayUrl), email);

    // 20 wrong passwords, alternately through each instance: one budget of 10 for the account.
    const answers = [];
    for (let i = 0; i < 20; i += 1) answers.push(await login(i % 2, email, `Wrong-${i}`));
    expect(answers.slice(0, 10).map(({ code }) => code)).toEqual(Array(10).fill('UNAUTHENTICATED'));
    for (const refused of answers.slice(10)) {
      expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(refused.message).toBe(
        `Too many failed logins for this account: retry in ${refused.retryAfter} s`,
      );
      expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfter).toBeLessThanOrEqual(loginWindowSeconds);
    }

    // The right password is refused too, on both instances, until the window passes.
    const right = await login(1, email, 'Password123');
    expect(right).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(await login(0, email, 'Password123')).toMatchObject({ status: 429 });
    await sleep(right.retryAfter * 1000);
    const after = await login(1, email, 'Password123');
    expect(after.status).toBe(200);
    expect(after.token).toMatch(/^ey/);

    const metrics = await (await fetch(supergraph.gateways[0]!.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_rate_limited_total\{limit="loginFailuresPerAccount"\} [1-9]/);
  });

  it('closes a socket with 4429 at its 101st subscription', async () => {
    const socket = connection();
    await socket.connected;
    for (let i = 0; i < 100; i += 1) void socket.subscribe(StockLevelSubscription, { productId: `p${i}` });
    await waitFor(() => service(0).subscriptionCount() === 100, { message: '100 subscriptions' });

    expect(await socket.subscribe(StockLevelSubscription, { productId: 'p100' })).toEqual({
      kind: 'closed',
      code: 4429,
      reason: 'Too many subscriptions on this connection (max 100)',
    });
    await waitFor(() => service(0).subscriptionCount() === 0, { message: 'the subscriptions to end' });
  });

  it('closes the connections of an address past its cap with 4429', async () => {
    const admitted = Array.from({ length: maxConnectionsPerAddress }, () => connection());
    await Promise.all(admitted.map((opened) => opened.connected));

    expect(await connection().closed).toEqual({
      code: 4429,
      reason: `Too many connections from this address (max ${maxConnectionsPerAddress})`,
    });
    // The cap is per instance: the other one still admits this address.
    await connection(1).connected;
    const metrics = await (await fetch(supergraph.gateways[0]!.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_websocket_capped_total\{cap="openConnectionsPerAddress"\} 1/);
  });
});

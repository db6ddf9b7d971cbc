import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { generateKeyPair } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { closeServer, listen } from '@commerce/common/server';
import { Kind, parse, type FieldNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import type { RateLimitOptions } from './rate-limits.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const keys = generateKeyPair();

/**
 * A users subgraph that executes root mutation fields one after another as graphql-js does: a
 * login with the password "right" returns a session, any other fails UNAUTHENTICATED and ends the
 * operation (login is non-null); register and refreshToken succeed.
 */
async function stubUsers(): Promise<{ url: string; server: Server; calls: () => number }> {
  let calls = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      calls += 1;
      const { query, variables = {} } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      const [operation] = parse(query).definitions;
      const fields =
        operation?.kind === Kind.OPERATION_DEFINITION
          ? operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD)
          : [];
      const data: Record<string, unknown> = {};
      for (const field of fields) {
        const key = field.alias?.value ?? field.name.value;
        const password = field.arguments?.find((arg) => arg.name.value === 'password')?.value;
        const given = password?.kind === Kind.VARIABLE ? variables[password.name.value] : undefined;
        if (field.name.value === 'login' && given !== 'right') {
          const error = {
            message: 'Invalid email or password',
            path: [key],
            extensions: { code: 'UNAUTHENTICATED' },
          };
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ data: null, errors: [error] }));
          return;
        }
        data[key] = field.name.value === 'register' ? { id: 'u1' } : { accessToken: 'token' };
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  return { url: `http://127.0.0.1:${await listen(server, 0)}/graphql`, server, calls: () => calls };
}

const login = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken }
}`;

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('HTTP rate limits', () => {
  let users: Awaited<ReturnType<typeof stubUsers>>;
  const gateways: RunningGateway[] = [];

  const start = async (rateLimits: RateLimitOptions): Promise<RunningGateway> => {
    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: { users: users.url },
      jwtPublicKey: keys.publicKey,
      logger: createLogger('test'),
      rateLimits,
    });
    gateways.push(gateway);
    return gateway;
  };

  const post = async (gateway: RunningGateway, query: string, variables: object = {}): Promise<Answer> => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Answer['body'],
    };
  };
  const codeOf = (answer: Answer): string | undefined => answer.body.errors?.[0]?.extensions?.code;

  let gateway: RunningGateway;

  beforeAll(async () => {
    users = await stubUsers();
    gateway = await start({
      rates: {
        loginFailuresPerAccount: { points: 3, seconds: 60 },
        registrationsPerAddress: { points: 2, seconds: 60 },
      },
    });
  });

  afterAll(async () => {
    await Promise.all(gateways.map((running) => running.close()));
    await closeServer(users.server);
  });

  it('refuses logins to an account past its failures with 429, Retry-After and RATE_LIMITED, before any subgraph call', async () => {
    const email = 'target@example.com';
    for (let i = 0; i < 3; i += 1)
      expect(codeOf(await post(gateway, login, { email, password: `guess-${i}` }))).toBe('UNAUTHENTICATED');
    const before = users.calls();

    const refused = await post(gateway, login, { email, password: 'guess-3' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.errors?.[0]).toEqual({
      message: `Too many failed logins for this account: retry in ${refused.retryAfter} s`,
      extensions: { code: 'RATE_LIMITED' },
    });
    // The right password too, until the window passes; and the email as typed differently.
    expect((await post(gateway, login, { email, password: 'right' })).status).toBe(429);
    expect((await post(gateway, login, { email: ' Target@Example.COM', password: 'right' })).status).toBe(
      429,
    );
    expect(users.calls()).toBe(before);
    const metrics = await (await fetch(gateway.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_rate_limited_total\{limit="loginFailuresPerAccount"\} 3/);
  });

  it('counts only the logins that fail', async () => {
    const email = 'regular@example.com';
    for (let i = 0; i < 5; i += 1)
      expect(codeOf(await post(gateway, login, { email, password: 'right' }))).toBe(undefined);
    for (let i = 0; i < 3; i += 1)
      expect(codeOf(await post(gateway, login, { email, password: 'wrong' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await post(gateway, login, { email, password: 'wrong' }))).toBe('RATE_LIMITED');
  });

  it('counts every aliased login field of a document, including those never executed', async () => {
    const aliased = (count: number) =>
      `mutation ($email: String!, $password: String!) { ${Array.from(
        { length: count },
        (_, i) => `a${i}: login(email: $email, password: $password) { accessToken }`,
      ).join(' ')} }`;
    const before = users.calls();
    const four = await post(gateway, aliased(4), { email: 'aliases@example.com', password: 'wrong' });
    expect(four.status).toBe(429);
    expect(users.calls()).toBe(before);

    const email = 'fragments@example.com';
    const twoInFragments = `mutation ($email: String!, $password: String!) {
      ... on Mutation { first: login(email: $email, password: $password) { accessToken } }
      ...Second
    }
    fragment Second on Mutation { second: login(email: $email, password: $password) { accessToken } }`;
    expect(codeOf(await post(gateway, twoInFragments, { email, password: 'wrong' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await post(gateway, login, { email, password: 'wrong' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await post(gateway, login, { email, password: 'right' }))).toBe('RATE_LIMITED');
  });

  it('limits registrations per address, each register field counting', async () => {
    const register = (alias: string) =>
      `${alias}: register(input: { email: "${alias}@example.com", password: "Password123", firstName: "A", lastName: "B" }) { id }`;
    expect(codeOf(await post(gateway, `mutation { ${register('one')} }`))).toBe(undefined);
    const before = users.calls();
    const two = await post(gateway, `mutation { ${register('two')} ${register('three')} }`);
    expect(two.status).toBe(429);
    expect(two.body.errors?.[0]?.message).toMatch(
      /^Too many registrations from this address: retry in \d+ s$/,
    );
    // A refused attempt counts too: the budget stays spent until the window passes.
    expect(codeOf(await post(gateway, `mutation { ${register('four')} }`))).toBe('RATE_LIMITED');
    expect(users.calls()).toBe(before);
  });

  it('limits the requests of an address, whatever they ask', async () => {
    const strict = await start({ rates: { requestsPerAddress: { points: 3, seconds: 30 } } });
    for (let i = 0; i < 3; i += 1) expect((await post(strict, '{ __typename }')).status).toBe(200);
    const refused = await post(strict, '{ __typename }');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(30);
    expect(refused.body.errors?.[0]?.message).toMatch(/^Too many requests from this address/);
    expect((await post(strict, 'not even GraphQL')).status).toBe(429);
  });
});

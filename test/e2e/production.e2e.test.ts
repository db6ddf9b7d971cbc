/**
 * Production defaults (NODE_ENV=production), through the real entry points and a gateway on the
 * real servers: a start without its own admin password is refused; introspection, "Did you mean …"
 * suggestions and /metrics are closed unless enabled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { generateKeyPair } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { readGatewayExposure, startGateway, type RunningGateway } from '@commerce/gateway';
import { developmentAdmin, supergraphSdl } from '@commerce/supergraph';
import { parse } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type LiveSubscription } from '../client/client.js';
import { runTsx, type TsxChild } from '../fixtures/tsx-child.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';

const serverVariables = ['KAFKA_BROKERS', 'DATABASE_URL', 'MONGODB_URL'] as const;

/** This process's environment without any admin password, NODE_ENV=production, and `extra`. */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    PORT: '0',
    ...extra,
  };
  for (const name of ['ADMIN_PASSWORD', 'ADMIN_PASSWORD_FILE']) if (!(name in extra)) delete env[name];
  return env;
}

describe('a production start without an admin password of its own', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-production-'));
  let child: TsxChild | undefined;

  afterEach(() => child?.stop());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const servers = Object.fromEntries(serverVariables.map((name) => [name, process.env[name] ?? '']));
  const embedded = Object.fromEntries(serverVariables.map((name) => [name, '']));
  const passwords = [
    ['without ADMIN_PASSWORD', {}],
    ['with the development default', { ADMIN_PASSWORD: developmentAdmin.password }],
  ] as const;
  const starts = [
    ['npm start (scripts/start.ts) on the servers', 'scripts/start.ts', [], servers],
    ['npm start (scripts/start.ts) embedded', 'scripts/start.ts', [], { ...embedded, DATA_DIR: dataDir }],
    [
      'the users service (scripts/service.ts users)',
      'scripts/service.ts',
      ['users'],
      { ...servers, ADMIN_EMAIL: 'root@example.com' },
    ],
  ] as const;

  it.each(
    starts.flatMap(([what, script, args, env]) =>
      passwords.map(([how, password]) => ({ what, how, script, args, env: { ...env, ...password } })),
    ),
  )(
    '$what $how exits non-zero, naming ADMIN_PASSWORD, before starting anything',
    async ({ script, args, env }) => {
      child = runTsx(script, args, productionEnv(env));
      const exit = await child.exited;
      const output = child.stdout + child.stderr;
      expect(exit.code, output).toBe(1);
      expect(output).toMatch(/ADMIN_PASSWORD/);
      expect(output).not.toMatch(/is up|subgraph ready|gateway ready/);
      expect(output).not.toContain(developmentAdmin.password);
    },
  );

  it('the users service with a password of its own gets past that check (and stops at the next missing variable)', async () => {
    child = runTsx(
      'scripts/service.ts',
      ['users'],
      productionEnv({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'Own-passw0rd', KAFKA_BROKERS: '' }),
    );
    const exit = await child.exited;
    const output = child.stdout + child.stderr;
    expect(exit.code, output).toBe(1);
    expect(output).toMatch(/Missing environment variable KAFKA_BROKERS/);
    expect(output).not.toMatch(/ADMIN_PASSWORD/);
    expect(output).not.toContain('Own-passw0rd');
  });
});

describe('introspection, suggestions and /metrics at a production gateway', () => {
  const metricsToken = 'scrape-token-for-the-test';
  let supergraph: Supergraph;
  /** Development: the harness's gateway. Production: one more gateway in front of the same subgraphs. */
  let production: RunningGateway;
  const open: LiveSubscription<unknown>[] = [];

  beforeAll(async () => {
    supergraph = await startSupergraph();
    production = await startGateway({
      supergraphSdl: supergraphSdl(),
      subgraphUrls: Object.fromEntries(
        Object.values(supergraph.subgraphs).map(({ name, url }) => [name, url]),
      ),
      jwtPublicKey: generateKeyPair().publicKey,
      logger: createLogger('e2e'),
      subscriptions: { log: supergraph.log },
      exposure: readGatewayExposure({ NODE_ENV: 'production', METRICS_TOKEN: metricsToken }),
    });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  });

  afterAll(async () => {
    await production?.close();
    await supergraph?.close();
  });

  const urls = (): { development: string; production: string } => ({
    development: supergraph.gatewayUrl,
    production: production.url,
  });

  async function post(
    url: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  }

  /** The errors the gateway sends for `query` over graphql-ws. */
  async function wsErrors(url: string, query: string): Promise<string[]> {
    const document = parse(query) as TypedDocumentNode<unknown, Record<string, never>>;
    const live = createClient(url).subscribe(document, {});
    open.push(live);
    const result = await live.waitFor((candidate) => candidate.errors !== undefined, { message: 'an error' });
    return (result.errors ?? []).map((error) => error.message);
  }

  it('HTTP: answers introspection in development and refuses it in production', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect(await post(urls().development, introspection)).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    const refused = await post(urls().production, introspection);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('HTTP: suggests fields and input fields in development, never in production', async () => {
    const typo = '{ products { edges { node { nmae } } } }';
    const variable = 'query ($f: ProductFilter) { products(filter: $f) { totalCount } }';
    expect((await post(urls().development, typo)).errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
    expect((await post(urls().development, variable, { f: { catgory: 'x' } })).errors?.[0]?.message).toMatch(
      /Did you mean "category"\?/,
    );
    const fieldError = (await post(urls().production, typo)).errors?.[0]?.message;
    expect(fieldError).toBe('Cannot query field "nmae" on type "Product".');
    const inputError = (await post(urls().production, variable, { f: { catgory: 'x' } })).errors?.[0]
      ?.message;
    expect(inputError).toMatch(/Field "catgory" is not defined by type "ProductFilter"\.$/);
  });

  it('graphql-ws: suggests in development, never in production, and refuses introspection there', async () => {
    const typo = 'subscription { stockUpdated(productId: "p1") { availabel } }';
    expect(await wsErrors(urls().development, typo)).toEqual([
      'Cannot query field "availabel" on type "StockUpdate". Did you mean "available"?',
    ]);
    expect(await wsErrors(urls().production, typo)).toEqual([
      'Cannot query field "availabel" on type "StockUpdate".',
    ]);
    const introspection = await wsErrors(urls().production, '{ __schema { queryType { name } } }');
    expect(introspection[0]).toMatch(/introspection has been disabled/);
  });

  it('/metrics: open in development; in production only with Authorization: Bearer METRICS_TOKEN', async () => {
    expect((await fetch(supergraph.gateways[0]?.metricsUrl ?? '')).status).toBe(200);
    expect((await fetch(production.metricsUrl)).status).toBe(401);
    const wrong = await fetch(production.metricsUrl, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(production.metricsUrl, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^gateway_subscription_connections /m);
  });
});

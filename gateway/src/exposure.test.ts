import { readFileSync } from 'node:fs';
import { generateKeyPair } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayExposure, type GatewayExposure } from './exposure.js';
import { startGateway, type RunningGateway } from './gateway.js';

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

describe('readGatewayExposure', () => {
  it('opens introspection, suggestions and /metrics outside production', () => {
    expect(readGatewayExposure({})).toEqual({ introspection: true, metrics: 'open' });
    expect(readGatewayExposure({ NODE_ENV: 'development' })).toEqual({
      introspection: true,
      metrics: 'open',
    });
  });

  it('with NODE_ENV=production turns introspection and suggestions off, and /metrics off without METRICS_TOKEN', () => {
    expect(readGatewayExposure({ NODE_ENV: 'production' })).toEqual({ introspection: false, metrics: 'off' });
  });

  it('enables introspection with GRAPHQL_INTROSPECTION=true, and puts /metrics behind METRICS_TOKEN', () => {
    const env = { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', METRICS_TOKEN: 'scrape-me' };
    expect(readGatewayExposure(env)).toEqual({ introspection: true, metrics: { bearerToken: 'scrape-me' } });
    expect(readGatewayExposure({ GRAPHQL_INTROSPECTION: 'false', METRICS_TOKEN: 't' })).toEqual({
      introspection: false,
      metrics: { bearerToken: 't' },
    });
    expect(() => readGatewayExposure({ GRAPHQL_INTROSPECTION: 'on' })).toThrow('GRAPHQL_INTROSPECTION');
  });
});

describe('the gateway with each exposure (HTTP)', () => {
  const gateways: Partial<Record<'development' | 'production' | 'token', RunningGateway>> = {};
  const exposures: Record<keyof typeof gateways, GatewayExposure> = {
    development: readGatewayExposure({}),
    production: readGatewayExposure({ NODE_ENV: 'production' }),
    token: readGatewayExposure({ NODE_ENV: 'production', METRICS_TOKEN: 'scrape-me' }),
  };

  beforeAll(async () => {
    for (const kind of ['development', 'production', 'token'] as const) {
      gateways[kind] = await startGateway({
        supergraphSdl,
        // No subgraph is called: every request here is refused or answered by validation.
        subgraphUrls: {},
        jwtPublicKey: generateKeyPair().publicKey,
        logger: createLogger('test'),
        exposure: exposures[kind],
      });
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(gateways).map((gateway) => gateway.close()));
  });

  const gateway = (kind: keyof typeof gateways): RunningGateway => {
    const found = gateways[kind];
    if (!found) throw new Error(`no ${kind} gateway`);
    return found;
  };

  const post = async (
    kind: keyof typeof gateways,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }> => {
    const response = await fetch(gateway(kind).url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { errors?: { message: string }[] };
  };

  const introspection = '{ __schema { queryType { name } } }';
  const misspelled = '{ products { totalCont } }';
  const misspelledVariable = 'query ($f: ProductFilter) { products(filter: $f) { totalCount } }';

  it('answers introspection and suggests fields in development', async () => {
    expect(await post('development', introspection)).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    expect((await post('development', misspelled)).errors?.[0]?.message).toMatch(
      /Did you mean "totalCount"\?/,
    );
    expect(
      (await post('development', misspelledVariable, { f: { catgory: 'x' } })).errors?.[0]?.message,
    ).toMatch(/Did you mean "category"\?/);
  });

  it('refuses introspection and gives no suggestion in production', async () => {
    const refused = await post('production', introspection);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await post('production', misspelled);
    expect(typo.errors?.[0]?.message).toBe('Cannot query field "totalCont" on type "ProductConnection".');
    const variable = await post('production', misspelledVariable, { f: { catgory: 'x' } });
    expect(variable.errors?.[0]?.message).toMatch(/catgory/);
    expect(variable.errors?.[0]?.message).not.toMatch(/Did you mean|category/);
  });

  it('serves /metrics to anyone in development, to nobody in production without a token', async () => {
    expect((await fetch(gateway('development').metricsUrl)).status).toBe(200);
    expect((await fetch(gateway('production').metricsUrl)).status).toBe(404);
  });

  it('serves /metrics only with the bearer METRICS_TOKEN when one is set', async () => {
    const { metricsUrl } = gateway('token');
    const without = await fetch(metricsUrl);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const allowed = await fetch(metricsUrl, { headers: { authorization: 'Bearer scrape-me' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});

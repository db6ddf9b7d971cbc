import { generateKeyPair } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, urlVariable } from './config.js';

const { publicKey } = generateKeyPair();
const base = { KAFKA_BROKERS: '127.0.0.1:9092', JWT_PUBLIC_KEY: publicKey };
const subgraphs = [
  { name: 'users', port: 4001 },
  { name: 'reviews', port: 4105 },
] as const;

describe('loadGatewayConfig', () => {
  it('reads a frozen config with the gateway defaults', () => {
    const config = loadGatewayConfig(base, subgraphs);
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      kafka: { brokers: ['127.0.0.1:9092'] },
    });
    expect(config.supergraphPath).toMatch(/schema[/\\]supergraph\.graphql$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("calls each subgraph of the caller's list on localhost at its port by default", () => {
    const { subgraphUrls } = loadGatewayConfig(base, subgraphs);
    expect(subgraphUrls).toEqual({
      users: 'http://localhost:4001/graphql',
      reviews: 'http://localhost:4105/graphql',
    });
    expect(Object.isFrozen(subgraphUrls)).toBe(true);
  });

  it('takes a subgraph URL from <NAME>_URL', () => {
    const env = { ...base, REVIEWS_URL: 'http://reviews:4105/graphql' };
    expect(loadGatewayConfig(env, subgraphs).subgraphUrls).toEqual({
      users: 'http://localhost:4001/graphql',
      reviews: 'http://reviews:4105/graphql',
    });
  });

  it('has no URL for a subgraph left out of the list', () => {
    const env = { ...base, ORDERS_URL: 'http://orders:4004/graphql' };
    expect(loadGatewayConfig(env, subgraphs).subgraphUrls).not.toHaveProperty('orders');
  });

  it('takes PORT, HOST and SUPERGRAPH_PATH from the environment', () => {
    const env = { ...base, PORT: '5000', HOST: '0.0.0.0', SUPERGRAPH_PATH: '/srv/supergraph.graphql' };
    expect(loadGatewayConfig(env, subgraphs)).toMatchObject({
      port: 5000,
      host: '0.0.0.0',
      supergraphPath: '/srv/supergraph.graphql',
    });
  });

  it('closes introspection and /metrics with NODE_ENV=production unless GRAPHQL_INTROSPECTION / METRICS_TOKEN open them', () => {
    expect(loadGatewayConfig(base, subgraphs).exposure).toEqual({ introspection: true, metrics: 'open' });
    const production = { ...base, NODE_ENV: 'production' };
    expect(loadGatewayConfig(production, subgraphs).exposure).toEqual({
      introspection: false,
      metrics: 'off',
    });
    const opened = { ...production, GRAPHQL_INTROSPECTION: 'true', METRICS_TOKEN: 'scrape' };
    expect(loadGatewayConfig(opened, subgraphs).exposure).toEqual({
      introspection: true,
      metrics: { bearerToken: 'scrape' },
    });
  });

  it('fails naming KAFKA_BROKERS when it is missing', () => {
    expect(() => loadGatewayConfig({ ...base, KAFKA_BROKERS: undefined }, subgraphs)).toThrow(
      'KAFKA_BROKERS',
    );
  });

  it('names the URL variable of a hyphenated subgraph so that a shell can set it', () => {
    expect(urlVariable('users')).toBe('USERS_URL');
    expect(urlVariable('product-reviews')).toBe('PRODUCT_REVIEWS_URL');
  });
});

import { generateKeyPair } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { loadGatewayServiceConfig, loadSubgraphServiceConfig, readOrderPolicy } from './service-config.js';
import { subgraphs } from './subgraphs.js';

const keys = generateKeyPair();
const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop',
  MONGODB_URL: 'mongodb://127.0.0.1:27017/shop',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: keys.publicKey,
  JWT_PRIVATE_KEY: keys.privateKey,
};
const variableOf = (server: 'postgres' | 'mongodb'): string =>
  server === 'postgres' ? 'DATABASE_URL' : 'MONGODB_URL';

describe.each(subgraphs.map((subgraph) => [subgraph.name, subgraph] as const))(
  'the %s process configuration',
  (_name, subgraph) => {
    it("listens on the descriptor's port by default and on PORT when set, and is frozen", () => {
      const config = loadSubgraphServiceConfig(subgraph, base);
      expect(config).toMatchObject({
        port: subgraph.port,
        host: '127.0.0.1',
        kafka: { brokers: ['127.0.0.1:9092'] },
      });
      expect(config.databaseUrl).toBe(base[variableOf(subgraph.server) as keyof typeof base]);
      expect(config.admin).toBeUndefined();
      expect(Object.isFrozen(config)).toBe(true);
      expect(loadSubgraphServiceConfig(subgraph, { ...base, PORT: '5999' }).port).toBe(5999);
    });

    it('fails naming a missing database URL or KAFKA_BROKERS', () => {
      for (const name of [variableOf(subgraph.server), 'KAFKA_BROKERS']) {
        expect(() => loadSubgraphServiceConfig(subgraph, { ...base, [name]: undefined })).toThrow(name);
      }
    });
  },
);

describe('the configuration of a subgraph on MongoDB', () => {
  const mongo = subgraphs.find((subgraph) => subgraph.server === 'mongodb');
  it('refuses a MONGODB_URL that names no database', () => {
    if (!mongo) throw new Error('no MongoDB subgraph in the list');
    expect(() =>
      loadSubgraphServiceConfig(mongo, { ...base, MONGODB_URL: 'mongodb://127.0.0.1:27017' }),
    ).toThrow('MONGODB_URL');
    expect(() =>
      loadSubgraphServiceConfig(mongo, { ...base, MONGODB_URL: 'mongodb://127.0.0.1:27017/' }),
    ).toThrow('MONGODB_URL');
  });
});

describe('the gateway process configuration', () => {
  it('counts its rate limits in DATABASE_URL (shared by every instance), and fails naming it when missing', () => {
    const config = loadGatewayServiceConfig({ ...base, RATE_LIMIT_REQUESTS_PER_ADDRESS: '100/1m' });
    expect(config.rateLimits.databaseUrl).toBe(base.DATABASE_URL);
    expect(config.rateLimits.rates?.requestsPerAddress).toEqual({ points: 100, seconds: 60 });
    expect(Object.keys(config.subgraphUrls).sort()).toEqual(subgraphs.map(({ name }) => name).sort());
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => loadGatewayServiceConfig({ ...base, DATABASE_URL: undefined })).toThrow('DATABASE_URL');
  });
});

describe('readOrderPolicy', () => {
  it('reads the ORDER_* variables that are set, leaving the others to the defaults', () => {
    expect(readOrderPolicy({})).toEqual({});
    expect(
      readOrderPolicy({
        ORDER_PAYMENT_TTL_SECONDS: '3',
        ORDER_MAX_OPEN_PER_CUSTOMER: ' 25 ',
        ORDER_MAX_QUANTITY_PER_LINE: '',
      }),
    ).toEqual({ paymentTtlSeconds: 3, maxOpenOrdersPerCustomer: 25 });
    expect(readOrderPolicy({ ORDER_MAX_QUANTITY_PER_LINE: '50' })).toEqual({ maxQuantityPerLine: 50 });
  });

  it('wants positive integers, naming the variable', () => {
    for (const value of ['0', '-5', '1.5', 'soon']) {
      expect(() => readOrderPolicy({ ORDER_PAYMENT_TTL_SECONDS: value })).toThrow(
        'ORDER_PAYMENT_TTL_SECONDS',
      );
    }
  });

  it('is part of a subgraph process configuration', () => {
    const orders = subgraphs.find((subgraph) => subgraph.name === 'orders');
    if (!orders) throw new Error('no orders subgraph in the list');
    expect(
      loadSubgraphServiceConfig(orders, { ...base, ORDER_PAYMENT_TTL_SECONDS: '60' }).orderPolicy,
    ).toEqual({
      paymentTtlSeconds: 60,
    });
  });
});

import { ConfigError } from '@commerce/common/config';
import { describe, expect, it } from 'vitest';
import { supergraphPath } from './composition.js';
import {
  gatewayServiceEnv,
  portVariable,
  readDatabasePrefix,
  readStartProcesses,
  readSubgraphPorts,
  subgraphServiceEnv,
  type ServiceSettings,
} from './processes.js';
import { loadGatewayServiceConfig, loadSubgraphServiceConfig } from './service-config.js';
import { findSubgraph, subgraphs } from './subgraphs.js';

describe('readStartProcesses', () => {
  it('defaults to per-service on the servers and one embedded; reads one and per-service', () => {
    expect(readStartProcesses({}, 'servers')).toBe('per-service');
    expect(readStartProcesses({ START_PROCESSES: ' ' }, 'servers')).toBe('per-service');
    expect(readStartProcesses({}, 'embedded')).toBe('one');
    expect(readStartProcesses({ START_PROCESSES: 'one' }, 'servers')).toBe('one');
    expect(readStartProcesses({ START_PROCESSES: 'per-service' }, 'servers')).toBe('per-service');
    expect(readStartProcesses({ START_PROCESSES: 'one' }, 'embedded')).toBe('one');
  });

  it('refuses another value, and per-service embedded, with a ConfigError naming START_PROCESSES', () => {
    expect(() => readStartProcesses({ START_PROCESSES: 'many' }, 'servers')).toThrow(ConfigError);
    expect(() => readStartProcesses({ START_PROCESSES: 'many' }, 'servers')).toThrow(
      'START_PROCESSES must be one or per-service, got "many"',
    );
    expect(() => readStartProcesses({ START_PROCESSES: 'per-service' }, 'embedded')).toThrow(
      /START_PROCESSES=per-service needs the servers/,
    );
  });
});

describe('readSubgraphPorts', () => {
  it("gives each subgraph its descriptor's port unless <NAME>_PORT says otherwise (0: a free one)", () => {
    expect(portVariable('users')).toBe('USERS_PORT');
    expect(portVariable('product-reviews')).toBe('PRODUCT_REVIEWS_PORT');
    expect(readSubgraphPorts({})).toEqual(
      Object.fromEntries(subgraphs.map(({ name, port }) => [name, port])),
    );
    expect(readSubgraphPorts({ ORDERS_PORT: '0', USERS_PORT: '5001' })).toMatchObject({
      orders: 0,
      users: 5001,
    });
    expect(() => readSubgraphPorts({ USERS_PORT: 'x' })).toThrow('USERS_PORT');
  });
});

describe('readDatabasePrefix', () => {
  it('is commerce by default; refuses what is not a plain database name', () => {
    expect(readDatabasePrefix({})).toBe('commerce');
    expect(readDatabasePrefix({ START_DATABASE_PREFIX: 'bench_1' })).toBe('bench_1');
    expect(() => readDatabasePrefix({ START_DATABASE_PREFIX: 'a"; DROP' })).toThrow('START_DATABASE_PREFIX');
  });
});

describe('the environment of each child of npm start', () => {
  const settings: ServiceSettings = {
    jwt: {
      publicKey: 'PUBLIC',
      privateKey: 'PRIVATE',
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 600,
    },
    admin: { email: 'owner@example.com', password: 'Owner-passw0rd' },
    databases: {
      subgraphs: {
        users: 'postgres://db/p_users',
        products: 'mongodb://mongo/p_products',
        inventory: 'postgres://db/p_inventory',
        orders: 'mongodb://mongo/p_orders',
      },
      gateway: 'postgres://db/p_gateway',
    },
    ports: { users: 0, products: 4102, inventory: 4103, orders: 4104 },
  };
  /** npm start's own environment. */
  const env = {
    KAFKA_BROKERS: 'k:9092',
    KAFKA_TOPIC_PREFIX: 'run.',
    DATABASE_URL: 'postgres://db/commerce',
    MONGODB_URL: 'mongodb://mongo/commerce',
    PORT: '4000',
    HOST: '0.0.0.0',
    JWT_PRIVATE_KEY_FILE: '/keys/private.pem',
    ADMIN_PASSWORD_FILE: '/run/secrets/admin',
    START_PROCESSES: 'per-service',
    START_DATABASE_PREFIX: 'p',
    USERS_PORT: '0',
    ORDER_MAX_QUANTITY_PER_LINE: '3',
    ENTITY_CACHE: 'off',
  };
  const child = (name: string) => {
    const subgraph = findSubgraph(name);
    if (!subgraph) throw new Error(name);
    return subgraphServiceEnv(subgraph, env, settings);
  };

  it('a subgraph: its own database and port on loopback, the public key; the rest of the env passes through', () => {
    const inventory = child('inventory');
    expect(inventory).toMatchObject({
      DATABASE_URL: 'postgres://db/p_inventory',
      PORT: '4103',
      JWT_PUBLIC_KEY: 'PUBLIC',
      KAFKA_BROKERS: 'k:9092',
      KAFKA_TOPIC_PREFIX: 'run.',
      ORDER_MAX_QUANTITY_PER_LINE: '3',
    });
    for (const name of [
      'HOST',
      'MONGODB_URL',
      'JWT_PRIVATE_KEY',
      'JWT_PRIVATE_KEY_FILE',
      'ADMIN_EMAIL',
      'ADMIN_PASSWORD',
      'ADMIN_PASSWORD_FILE',
      'START_PROCESSES',
      'START_DATABASE_PREFIX',
      'USERS_PORT',
    ])
      expect(inventory, name).not.toHaveProperty(name);
    expect(child('orders')).toMatchObject({ MONGODB_URL: 'mongodb://mongo/p_orders', PORT: '4104' });
    expect(child('orders')).not.toHaveProperty('DATABASE_URL');
  });

  it('only the subgraph that signs tokens gets the private key and the admin npm start resolved', () => {
    expect(child('users')).toMatchObject({
      JWT_PRIVATE_KEY: 'PRIVATE',
      ADMIN_EMAIL: 'owner@example.com',
      ADMIN_PASSWORD: 'Owner-passw0rd',
      PORT: '0',
    });
    for (const { name, signsTokens } of subgraphs) {
      if (!signsTokens) expect(child(name)).not.toHaveProperty('JWT_PRIVATE_KEY');
    }
  });

  it('each subgraph reads, from its environment, what npm start resolved for it', () => {
    for (const subgraph of subgraphs) {
      const config = loadSubgraphServiceConfig(subgraph, child(subgraph.name));
      expect(config).toMatchObject({
        port: settings.ports[subgraph.name],
        host: '127.0.0.1',
        databaseUrl: settings.databases.subgraphs[subgraph.name],
        jwt: { publicKey: 'PUBLIC', privateKey: subgraph.signsTokens ? 'PRIVATE' : null },
        admin: subgraph.signsTokens ? settings.admin : undefined,
      });
    }
  });

  it("the gateway: the subgraphs' URLs, its rate-limit database, the committed supergraph; its edge settings pass through", () => {
    const urls = {
      users: 'http://127.0.0.1:41001/graphql',
      products: 'http://127.0.0.1:4102/graphql',
      inventory: 'http://127.0.0.1:4103/graphql',
      orders: 'http://127.0.0.1:4104/graphql',
    };
    const gateway = gatewayServiceEnv(env, settings, urls);
    expect(gateway).not.toHaveProperty('JWT_PRIVATE_KEY');
    expect(gateway).not.toHaveProperty('ADMIN_PASSWORD');
    expect(gateway).not.toHaveProperty('MONGODB_URL');
    const config = loadGatewayServiceConfig(gateway);
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      supergraphPath,
      subgraphUrls: urls,
      jwt: { publicKey: 'PUBLIC', privateKey: null },
      rateLimits: { databaseUrl: 'postgres://db/p_gateway' },
      entityCache: { enabled: false },
      kafka: { brokers: ['k:9092'], topicPrefix: 'run.' },
    });
  });
});

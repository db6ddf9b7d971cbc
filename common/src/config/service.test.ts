import { describe, expect, it } from 'vitest';
import { mongoDatabaseName, readServiceConfig } from './index.js';

describe('readServiceConfig', () => {
  it('listens on loopback by default and requires KAFKA_BROKERS', () => {
    const env = { KAFKA_BROKERS: 'a:1,b:2', JWT_PUBLIC_KEY: 'pem' };
    expect(readServiceConfig(env, 4003)).toMatchObject({
      port: 4003,
      host: '127.0.0.1',
      kafka: { brokers: ['a:1', 'b:2'] },
    });
    expect(() => readServiceConfig({ JWT_PUBLIC_KEY: 'pem' }, 4003)).toThrow('KAFKA_BROKERS');
  });
});

describe('mongoDatabaseName', () => {
  it('takes the database from the path, ignoring options and several hosts', () => {
    expect(mongoDatabaseName('mongodb://a:1,b:2/shop?replicaSet=rs0')).toBe('shop');
    expect(mongoDatabaseName('mongodb+srv://user:pw@cluster.example.com/catalog')).toBe('catalog');
  });

  it('refuses a URL without a database name', () => {
    expect(() => mongoDatabaseName('mongodb://127.0.0.1:27017')).toThrow('MONGODB_URL');
    expect(() => mongoDatabaseName('mongodb://127.0.0.1:27017/?x=1')).toThrow('MONGODB_URL');
  });
});

import { generateKeyPair } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const { publicKey } = generateKeyPair();
const base = {
  MONGODB_URL: 'mongodb://127.0.0.1:27017/shop_orders',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: publicKey,
};

describe('loadConfig', () => {
  it('reads a frozen config with the orders defaults and the database named by the URL', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      port: 4004,
      host: '127.0.0.1',
      dbName: 'shop_orders',
      kafka: { brokers: ['127.0.0.1:9092'] },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes PORT from the environment', () => {
    expect(loadConfig({ ...base, PORT: '5004' }).port).toBe(5004);
  });

  it.each(['MONGODB_URL', 'KAFKA_BROKERS'])('fails naming a missing %s', (name) => {
    expect(() => loadConfig({ ...base, [name]: undefined })).toThrow(name);
  });

  it('fails when MONGODB_URL names no database', () => {
    expect(() => loadConfig({ ...base, MONGODB_URL: 'mongodb://127.0.0.1:27017' })).toThrow('MONGODB_URL');
    expect(() => loadConfig({ ...base, MONGODB_URL: 'mongodb://127.0.0.1:27017/' })).toThrow('MONGODB_URL');
  });
});

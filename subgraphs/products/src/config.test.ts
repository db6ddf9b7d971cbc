import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const pem = '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----';
const env = {
  MONGODB_URL: 'mongodb://127.0.0.1:27017/commerce',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: pem,
};

describe('loadConfig', () => {
  it('reads a frozen config with PORT 4002 by default and the database from the URL path', () => {
    const config = loadConfig(env);
    expect(config).toMatchObject({
      port: 4002,
      databaseName: 'commerce',
      kafka: { brokers: ['127.0.0.1:9092'] },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(loadConfig({ ...env, PORT: '5002' }).port).toBe(5002);
  });

  it('fails naming the missing variable', () => {
    expect(() => loadConfig({ ...env, MONGODB_URL: undefined })).toThrow('MONGODB_URL');
    expect(() => loadConfig({ ...env, KAFKA_BROKERS: ' ' })).toThrow('KAFKA_BROKERS');
  });
});

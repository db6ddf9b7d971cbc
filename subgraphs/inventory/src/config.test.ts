import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const env = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/inventory',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: 'public-key',
};

describe('loadConfig', () => {
  it('defaults the port to 4003 and returns a frozen object', () => {
    const config = loadConfig(env);
    expect(config).toMatchObject({
      port: 4003,
      databaseUrl: env.DATABASE_URL,
      kafka: { brokers: ['127.0.0.1:9092'] },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails naming a missing variable', () => {
    expect(() => loadConfig({ ...env, DATABASE_URL: undefined })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ...env, KAFKA_BROKERS: undefined })).toThrow(/KAFKA_BROKERS/);
  });

  it('reads PORT', () => {
    expect(loadConfig({ ...env, PORT: '5003' }).port).toBe(5003);
  });
});

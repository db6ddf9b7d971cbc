import { generateKeyPair } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const keys = generateKeyPair();
const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/users',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY: keys.publicKey,
  JWT_PRIVATE_KEY: keys.privateKey,
};

describe('loadConfig', () => {
  it('defaults PORT to 4001 and returns a frozen config', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(4001);
    expect(config.databaseUrl).toBe(base.DATABASE_URL);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.admin).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each(['DATABASE_URL', 'KAFKA_BROKERS'])('fails naming a missing %s', (name) => {
    expect(() => loadConfig({ ...base, [name]: undefined })).toThrow(name);
  });

  it('reads the admin account from ADMIN_EMAIL and ADMIN_PASSWORD, and wants both', () => {
    expect(
      loadConfig({ ...base, ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'secret123' }).admin,
    ).toEqual({
      email: 'root@example.com',
      password: 'secret123',
    });
    expect(() => loadConfig({ ...base, ADMIN_EMAIL: 'root@example.com' })).toThrow('ADMIN_PASSWORD');
    expect(() => loadConfig({ ...base, ADMIN_PASSWORD: 'secret123' })).toThrow('ADMIN_EMAIL');
  });
});

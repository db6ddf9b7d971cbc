import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@commerce/common/auth';
import { afterAll, describe, expect, it } from 'vitest';
import { adminBannerLine, developmentAdmin, readAdminAccount, readStartAdmin } from './admin-account.js';
import { loadSubgraphServiceConfig } from './service-config.js';
import { subgraphs } from './subgraphs.js';

const production = { NODE_ENV: 'production' };
const dir = mkdtempSync(join(tmpdir(), 'admin-account-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readAdminAccount (the users service)', () => {
  it('reads the admin account from ADMIN_EMAIL and ADMIN_PASSWORD, and wants both', () => {
    expect(readAdminAccount({ ADMIN_EMAIL: ' root@example.com ', ADMIN_PASSWORD: 'secret123' })).toEqual({
      email: 'root@example.com',
      password: 'secret123',
    });
    expect(readAdminAccount({})).toBeUndefined();
    expect(() => readAdminAccount({ ADMIN_EMAIL: 'root@example.com' })).toThrow('ADMIN_PASSWORD');
    expect(() => readAdminAccount({ ADMIN_PASSWORD: 'secret123' })).toThrow('ADMIN_EMAIL');
  });

  it('reads the password from the file ADMIN_PASSWORD_FILE names when ADMIN_PASSWORD is empty', () => {
    const file = join(dir, 'admin-password');
    writeFileSync(file, 'Generated-0123456789\n');
    expect(
      readAdminAccount({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: '', ADMIN_PASSWORD_FILE: file }),
    ).toEqual({ email: 'root@example.com', password: 'Generated-0123456789' });
  });

  it('with NODE_ENV=production, refuses a missing ADMIN_PASSWORD and the development default, naming ADMIN_PASSWORD', () => {
    expect(() => readAdminAccount(production)).toThrow('Missing environment variable ADMIN_PASSWORD');
    expect(() => readAdminAccount({ ...production, ADMIN_EMAIL: 'root@example.com' })).toThrow(
      'ADMIN_PASSWORD',
    );
    expect(() =>
      readAdminAccount({
        ...production,
        ADMIN_EMAIL: 'root@example.com',
        ADMIN_PASSWORD: developmentAdmin.password,
      }),
    ).toThrow(/ADMIN_PASSWORD holds the development default admin password/);
    expect(
      readAdminAccount({ ...production, ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'Own-passw0rd' }),
    ).toEqual({
      email: 'root@example.com',
      password: 'Own-passw0rd',
    });
  });

  it('never puts the password it refuses in the message', () => {
    let message = '';
    try {
      readAdminAccount({
        ...production,
        ADMIN_EMAIL: 'root@example.com',
        ADMIN_PASSWORD: developmentAdmin.password,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch('ADMIN_PASSWORD');
    expect(message).not.toContain(developmentAdmin.password);
  });
});

describe('loadSubgraphServiceConfig with NODE_ENV=production', () => {
  const keys = generateKeyPair();
  const env = {
    ...production,
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop',
    MONGODB_URL: 'mongodb://127.0.0.1:27017/shop',
    KAFKA_BROKERS: '127.0.0.1:9092',
    JWT_PUBLIC_KEY: keys.publicKey,
    JWT_PRIVATE_KEY: keys.privateKey,
  };

  it.each(subgraphs.map((subgraph) => [subgraph.name, subgraph] as const))(
    '%s: needs ADMIN_PASSWORD exactly when it seeds the admin (it signs tokens)',
    (_name, subgraph) => {
      if (subgraph.signsTokens) {
        expect(() => loadSubgraphServiceConfig(subgraph, env)).toThrow('ADMIN_PASSWORD');
        // Before anything else: even with nothing else set.
        expect(() => loadSubgraphServiceConfig(subgraph, production)).toThrow('ADMIN_PASSWORD');
        const admin = { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'Own-passw0rd' };
        expect(loadSubgraphServiceConfig(subgraph, { ...env, ...admin }).admin?.email).toBe(
          'root@example.com',
        );
      } else {
        expect(loadSubgraphServiceConfig(subgraph, env).admin).toBeUndefined();
      }
    },
  );
});

describe('readStartAdmin (npm start)', () => {
  it('defaults to the development admin outside production, and says so', () => {
    expect(readStartAdmin({})).toEqual({ account: developmentAdmin, passwordFrom: 'development default' });
    expect(readStartAdmin({ ADMIN_EMAIL: 'me@example.com', ADMIN_PASSWORD: 'Mine-12345' })).toEqual({
      account: { email: 'me@example.com', password: 'Mine-12345' },
      passwordFrom: 'ADMIN_PASSWORD',
    });
  });

  it('with NODE_ENV=production, refuses a missing ADMIN_PASSWORD and the development default', () => {
    expect(() => readStartAdmin(production)).toThrow('Missing environment variable ADMIN_PASSWORD');
    expect(() => readStartAdmin({ ...production, ADMIN_PASSWORD: developmentAdmin.password })).toThrow(
      'ADMIN_PASSWORD',
    );
    expect(readStartAdmin({ ...production, ADMIN_PASSWORD: 'Own-passw0rd' }).account).toEqual({
      email: developmentAdmin.email,
      password: 'Own-passw0rd',
    });
  });
});

describe('adminBannerLine', () => {
  it('says where the password comes from, never what it is', () => {
    const defaulted = adminBannerLine(readStartAdmin({}));
    expect(defaulted).toBe(
      'admin@example.com, password the development default (README, "Configuration"; set ADMIN_PASSWORD to choose one)',
    );
    expect(defaulted).not.toContain(developmentAdmin.password);
    const own = adminBannerLine(readStartAdmin({ ADMIN_PASSWORD: 'Mine-12345' }));
    expect(own).toBe('admin@example.com, password from ADMIN_PASSWORD');
  });
});

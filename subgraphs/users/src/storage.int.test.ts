import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import { InMemoryEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { RunningSubgraph, StorageLocation, SubgraphDeps } from '@commerce/common/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../../test/harness/servers.js';
import { usersSubgraph } from './subgraph.js';

const keys = generateKeyPair();
const jwt: JwtConfig = { ...keys, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 };
const bus = new InMemoryEventBus();
const deps: SubgraphDeps = { bus, jwt, logger: createLogger('users-storage-test') };
const toClose: (() => Promise<void>)[] = [];

async function open(location: StorageLocation): Promise<RunningSubgraph> {
  const storage = await usersSubgraph.open(location);
  toClose.push(() => storage.close());
  const subgraph = await storage.start(deps);
  toClose.push(() => subgraph.close());
  return subgraph;
}

async function closeAll(): Promise<void> {
  for (const close of toClose.splice(0).reverse()) await close();
}

async function gql(url: string, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data?: unknown }).data;
}

async function register(url: string, email: string): Promise<void> {
  await gql(url, `mutation ($input: RegisterInput!) { register(input: $input) { id } }`, {
    input: { email, password: 'secret123', firstName: 'Ada', lastName: 'Lovelace' },
  });
}

/** The email of the user who signed in, or undefined when login failed. */
async function login(url: string, email: string): Promise<string | undefined> {
  const data = await gql(
    url,
    `mutation ($e: String!) { login(email: $e, password: "secret123") { user { email } } }`,
    {
      e: email,
    },
  );
  return (data as { login?: { user: { email: string } } } | null)?.login?.user.email;
}

afterEach(closeAll);
afterAll(() => bus.close());

describe('openUsersStorage (in-process bus)', () => {
  let dataDir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'users-storage-'));
    database = await createPostgresDatabase('users_storage');
  });

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('keeps embedded users in <dataDir>/users.sqlite across a reopen', async () => {
    const email = `user-${randomUUID()}@example.com`;
    const first = await open({ mode: 'embedded', dataDir });
    await register(first.url, email);
    expect(await login(first.url, email)).toBe(email);
    await closeAll();
    expect(existsSync(join(dataDir, 'users.sqlite'))).toBe(true);
    expect(await login((await open({ mode: 'embedded', dataDir })).url, email)).toBe(email);
  });

  it('migrates and serves the PostgreSQL database at the URL', async () => {
    const email = `user-${randomUUID()}@example.com`;
    const subgraph = await open({ mode: 'servers', url: database.url });
    await register(subgraph.url, email);
    expect(await login(subgraph.url, email)).toBe(email);
  });

  it('refuses to start without the private key that signs the tokens', async () => {
    const storage = await usersSubgraph.open({ mode: 'servers', url: database.url });
    toClose.push(() => storage.close());
    await expect(storage.start({ ...deps, jwt: { ...jwt, privateKey: null } })).rejects.toThrow(
      'JWT_PRIVATE_KEY',
    );
  });
});

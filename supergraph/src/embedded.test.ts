import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import { createLogger } from '@commerce/common/logger';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClient, dataOf } from '../../test/client/client.js';
import { createProduct, login } from '../../test/e2e/actors.js';
import { ProductInventoryQuery } from '../../test/e2e/operations.js';
import { runTsx, type TsxChild } from '../../test/fixtures/tsx-child.js';
import { startEmbeddedSupergraph, type EmbeddedSupergraph } from './embedded.js';

const admin = { email: 'owner@example.com', password: 'Owner-Passw0rd!' };

describe('the embedded supergraph stopping', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-drain-'));
  const jwt: JwtConfig = { ...generateKeyPair(), accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 86_400 };
  let running: EmbeddedSupergraph | undefined;

  const start = async (): Promise<EmbeddedSupergraph> =>
    (running = await startEmbeddedSupergraph({
      dataDir,
      jwt,
      admin,
      logger: createLogger('drain-test'),
      port: 0,
      seedDemo: false,
      drainTimeoutMs: 60_000,
    }));

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('close() waits until every subscriber is done with every event: one retrying after a transient failure gets them all', async () => {
    const supergraph = await start();
    const handled: string[] = [];
    await supergraph.bus.subscribe('product.created', 'flaky-audit', (event, delivery) => {
      // A transient failure (a dropped connection): the bus retries after a backoff, a timer away.
      if (delivery.attempt === 1)
        return Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      handled.push(event.payload.productId);
      return Promise.resolve();
    });
    const client = createClient(supergraph.gateway.url);
    const token = await login(client, admin.email, admin.password);
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        createProduct(client, token, { name: `Audited ${index}`, category: 'Test', price: 1, quantity: 1 }),
      ),
    );
    // One backoff per event: the subscriber is far behind when close() is called.
    expect(handled.length).toBeLessThan(ids.length);

    await supergraph.close();
    running = undefined;
    expect([...handled].sort()).toEqual([...ids].sort());
  });
});

describe('npm start without servers, stopped with Ctrl-C', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-ctrl-c-'));
  let running: TsxChild | undefined;

  /** `npm start` on the data folder, no server variables set; resolves with the gateway's URL. */
  async function start(): Promise<{ child: TsxChild; url: string }> {
    const child = runTsx('scripts/start.ts', [], {
      ...process.env,
      KAFKA_BROKERS: '',
      DATABASE_URL: '',
      MONGODB_URL: '',
      JWT_PUBLIC_KEY: '',
      JWT_PRIVATE_KEY: '',
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
    });
    running = child;
    const [, url] = await child.waitForStdout(/GraphQL API and playground: (http:\S+)/);
    if (url === undefined) throw new Error('no URL in the banner');
    return { child, url };
  }

  afterEach(() => running?.stop());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits 0 on Ctrl-C right after writes, and their events have had their effect on the next start', async () => {
    const first = await start();
    const client = createClient(first.url);
    const token = await login(client, admin.email, admin.password);
    // Each product.created event makes the inventory subgraph create the product's stock row.
    const quantities = Array.from({ length: 12 }, (_, index) => index + 1);
    const ids = await Promise.all(
      quantities.map((quantity) =>
        createProduct(client, token, { name: `Drained ${quantity}`, category: 'Test', price: 9.5, quantity }),
      ),
    );
    first.child.kill('SIGINT');
    expect(await first.child.exited).toEqual({ code: 0, signal: null });
    // The banner says where the admin's password comes from; no line of the process shows it.
    expect(first.child.stdout).toContain(`Admin: ${admin.email}, password from ADMIN_PASSWORD`);
    expect(first.child.stdout + first.child.stderr).not.toContain(admin.password);

    const second = await start();
    const again = createClient(second.url);
    const stock = await Promise.all(
      ids.map(async (id) => dataOf(await again.request(ProductInventoryQuery, { id })).product?.inventory),
    );
    expect(stock.map((row) => row && { available: row.available, reserved: row.reserved })).toEqual(
      quantities.map((available) => ({ available, reserved: 0 })),
    );

    second.child.kill('SIGINT');
    expect(await second.child.exited).toEqual({ code: 0, signal: null });
  });
});

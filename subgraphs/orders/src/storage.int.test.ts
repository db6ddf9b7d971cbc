import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { DocumentDatabase } from '@commerce/common/embedded';
import { createLogger } from '@commerce/common/logger';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestKafkaBus } from '../../../test/harness/kafka.js';
import { createMongoDatabase } from '../../../test/harness/servers.js';
import { EmbeddedOrderStore } from './adapters/embedded/order-store.js';
import { ordersCollection } from './adapters/mongo/order-store.js';
import { ordersSubgraph } from './subgraph.js';

const logger = createLogger('orders-storage-test');
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('ordersSubgraph.open', () => {
  it('opens the MongoDB database named by the URL, with the orders indexes ensured', async () => {
    const database = await createMongoDatabase('orders_storage');
    closers.push(() => database.drop());
    const opened = await ordersSubgraph.open({ mode: 'servers', url: database.url });
    await opened.close();

    const client = await new MongoClient(database.url).connect();
    try {
      const indexes = await client.db(database.dbName).collection(ordersCollection).indexes();
      expect(indexes.map((index) => index.name)).toEqual(
        expect.arrayContaining(['orders_by_user_newest', 'orders_newest', 'orders_by_status_due']),
      );
    } finally {
      await client.close();
    }
  });

  it('refuses a MongoDB URL that names no database', async () => {
    await expect(ordersSubgraph.open({ mode: 'servers', url: 'mongodb://127.0.0.1:1' })).rejects.toThrow(
      'MONGODB_URL',
    );
  });

  it('serves the orders kept in <dataDir>/orders.json in the embedded mode', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orders-storage-'));
    closers.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    const orderId = randomUUID();
    const file = DocumentDatabase.open(join(dataDir, 'orders.json'));
    const now = new Date();
    await new EmbeddedOrderStore(file).insert(
      {
        id: orderId,
        userId: randomUUID(),
        items: [{ productId: randomUUID(), productName: 'Phone', quantity: 1, unitPriceCents: 24999 }],
        totalCents: 24999,
        status: 'PENDING',
        rejectionReason: null,
        shippingAddress: {
          line1: '1 Main St',
          line2: null,
          city: 'Springfield',
          state: 'IL',
          postalCode: '62701',
          country: 'US',
        },
        createdAt: now,
        updatedAt: now,
        version: 1,
        history: [{ status: 'PENDING', at: now, reason: 'placed' }],
        payments: [],
        paymentDueAt: new Date(now.getTime() + 900_000),
        paymentClaimedUntil: null,
      },
      [],
    );
    file.close();

    const keys = generateKeyPair();
    const kafka = await createTestKafkaBus('orders_storage', logger);
    closers.push(() => kafka.close());
    const opened = await ordersSubgraph.open({ mode: 'embedded', dataDir });
    closers.push(() => opened.close());
    const subgraph = await opened.start({
      bus: kafka.bus,
      jwt: {
        publicKey: keys.publicKey,
        privateKey: null,
        accessTokenTtlSeconds: 900,
        refreshTokenTtlSeconds: 3600,
      },
      logger,
    });
    closers.push(() => subgraph.close());

    const admin = { userId: randomUUID(), email: 'admin@example.com', role: 'ADMIN' as const };
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signAccessToken(admin, keys.privateKey, 900)}`,
      },
      body: JSON.stringify({ query: '{ orders { id status } }' }),
    });
    expect(await response.json()).toEqual({ data: { orders: [{ id: orderId, status: 'PENDING' }] } });
    expect(await subgraph.health()).toEqual({
      status: 'ok',
      checks: { database: 'ok', relay: 'ok', consumers: 'ok' },
    });
  });
});

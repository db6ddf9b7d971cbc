import { randomUUID } from 'node:crypto';
import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import {
  createEnvelope,
  createKafkaClient,
  KafkaEventBus,
  type Envelope,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { OpenedSubgraph, RunningSubgraph } from '@commerce/common/server';
import { inventorySubgraph } from '@commerce/inventory';
import { listDeadLetters } from '@commerce/supergraph';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, kafkaBrokers, type TestDatabase } from '../harness/servers.js';
import { sqlClient, type SqlClient } from '../harness/sql.js';
import { waitFor } from '../harness/wait.js';
import { deleteTopics, topicPrefix, waitForCaughtUp } from './kafka-probe.js';

/**
 * The inventory subgraph against PostgreSQL and the real broker, as two instances (two processes'
 * worth of relays, producers and consumers in one group) over one database.
 */
const logger = createLogger('faults-inventory');
const prefix = topicPrefix('faults-inventory');
const origin = () => ({ source: 'faults-test', correlationId: randomUUID() });
let database: TestDatabase;
let kafka: Kafka;
let jwt: JwtConfig;
let adminToken: string;
const storages: OpenedSubgraph[] = [];
let db: SqlClient;
const buses: KafkaEventBus[] = [];
const instances: RunningSubgraph[] = [];
const stockUpdated: Envelope<Topics['stock.updated']>[] = [];

function newBus(): KafkaEventBus {
  const bus = new KafkaEventBus(createKafkaClient(`faults-${buses.length}`, kafkaBrokers(), logger), {
    topicPrefix: prefix,
    logger,
    retry: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 50 },
  });
  buses.push(bus);
  return bus;
}

beforeAll(async () => {
  database = await createPostgresDatabase('faults_inventory');
  kafka = createKafkaClient('faults-probe', kafkaBrokers(), logger);
  jwt = { ...generateKeyPair(), accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 };
  adminToken = signAccessToken(
    { userId: randomUUID(), email: 'admin@example.com', role: 'ADMIN' },
    jwt.privateKey ?? '',
    900,
  );
  const observer = newBus();
  await observer.ensureTopics();
  await observer.subscribe(
    'stock.updated',
    'observer',
    (event) => Promise.resolve(void stockUpdated.push(event)),
    { fromBeginning: true },
  );
  for (let i = 0; i < 2; i += 1) {
    const storage = await inventorySubgraph.open({ mode: 'servers', url: database.url });
    storages.push(storage);
    instances.push(await storage.start({ bus: newBus(), jwt, logger }));
  }
}, 120_000);

afterAll(async () => {
  for (const instance of instances) await instance.close();
  for (const bus of buses) await bus.close();
  for (const storage of storages) await storage.close();
  await db?.close();
  await deleteTopics(kafka, prefix);
  await database?.drop();
}, 120_000);

const bus = (): KafkaEventBus => buses[0]!;

async function sql<T>(query: string, parameters: unknown[] = []): Promise<T[]> {
  db ??= sqlClient(database.url);
  return db.query<T>(query, parameters);
}

async function stockOf(productId: string): Promise<{ available: number; reserved: number } | undefined> {
  const [row] = await sql<{ available: number; reserved: number }>(
    'SELECT available, reserved FROM inventory_item WHERE product_id = $1',
    [productId],
  );
  return row;
}

async function newProduct(quantity: number): Promise<string> {
  const productId = randomUUID();
  const payload = {
    productId,
    name: 'Fault',
    description: null,
    category: 'faults',
    price: 1,
    quantity,
    reorderThreshold: 0,
  };
  await bus().publish('product.created', productId, createEnvelope('product.created', payload, origin()));
  await waitFor(() => stockOf(productId), { message: `the stock row of ${productId}` });
  return productId;
}

function orderPlaced(orderId: string, productId: string, quantity: number): Envelope<Topics['order.placed']> {
  return createEnvelope(
    'order.placed',
    {
      orderId,
      userId: randomUUID(),
      items: [{ productId, quantity, unitPrice: 1 }],
      total: quantity,
      createdAt: new Date().toISOString(),
      version: 1,
    },
    origin(),
  );
}

/** Both instances' relays have published everything, and the observer has read it. */
async function settled(): Promise<void> {
  await waitFor(
    async () =>
      (await sql<{ n: number }>('SELECT count(*)::int AS n FROM outbox_event WHERE sent_at IS NULL'))[0]
        ?.n === 0,
    { message: 'the inventory outbox to drain' },
  );
  await waitForCaughtUp(kafka, `${prefix}observer.stock.updated`, `${prefix}stock.updated`);
}

describe('inventory consumers on the real broker', () => {
  it('a duplicate order.placed (same eventId, delivered twice) reserves the stock once', async () => {
    const productId = await newProduct(50);
    const orderId = randomUUID();
    const event = orderPlaced(orderId, productId, 3);
    await bus().publish('order.placed', orderId, event);
    await bus().publish('order.placed', orderId, event);
    await waitForCaughtUp(kafka, `${prefix}inventory.order.placed`, `${prefix}order.placed`);
    await settled();

    expect(await stockOf(productId)).toEqual({ available: 47, reserved: 3 });
    const processed = await sql('SELECT 1 FROM processed_event WHERE event_id = $1', [
      event.metadata.eventId,
    ]);
    expect(processed).toHaveLength(1);
    const reserved = stockUpdated.filter(
      (e) => e.payload.orderId === orderId && e.payload.reason === 'RESERVED',
    );
    expect(reserved).toHaveLength(1);
  });

  it('dead-letters a malformed message and a schema-invalid event on order.placed with the reason, then processes the valid event after them', async () => {
    const productId = await newProduct(10);
    const orderId = randomUUID();
    const valid = orderPlaced(orderId, productId, 2);
    const invalid = { ...orderPlaced(orderId, productId, 2), payload: { ...valid.payload, items: [] } };
    // One key, hence one partition: the three arrive in this order.
    await bus().publishRaw('order.placed', { key: orderId, value: '{"metadata": {"eventId": ' });
    await bus().publishRaw('order.placed', { key: orderId, value: JSON.stringify(invalid) });
    await bus().publish('order.placed', orderId, valid);

    await waitFor(async () => (await stockOf(productId))?.reserved === 2, {
      message: 'the valid order to reserve',
    });
    const letters = await waitFor(
      async () => {
        const found = await listDeadLetters({
          kafka,
          topicPrefix: prefix,
          topic: 'order.placed',
          group: 'inventory',
        });
        const mine = found.filter((letter) => letter.key === orderId);
        return mine.length === 2 && mine;
      },
      { message: 'two dead letters on order.placed.dlq' },
    );
    expect(letters.map((letter) => letter.error)).toEqual([
      expect.stringMatching(/InvalidEventError: Message on order.placed is not JSON/),
      expect.stringMatching(/InvalidEventError: Invalid order.placed event: .*items/s),
    ]);
    expect(letters.map((letter) => letter.attempts)).toEqual([1, 1]);
    expect(letters[1]?.value?.toString()).toBe(JSON.stringify(invalid));
    expect(await stockOf(productId)).toEqual({ available: 8, reserved: 2 });
  });

  it('publishes 100 stock changes to one product, made through both instances, to a consumer in the order they were made', async () => {
    const productId = await newProduct(0);
    const adjust = async (instance: RunningSubgraph): Promise<number> => {
      const response = await fetch(instance.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({
          query:
            'mutation ($id: ID!) { adjustStock(productId: $id, delta: 1, reason: "count") { available } }',
          variables: { id: productId },
        }),
      });
      const body = (await response.json()) as { data?: { adjustStock: { available: number } } };
      if (!body.data) throw new Error(`adjustStock failed: ${JSON.stringify(body)}`);
      return body.data.adjustStock.available;
    };
    // Four at a time, alternating instances: the order they were made is their commit order.
    const results: number[] = [];
    for (let round = 0; round < 25; round += 1)
      results.push(...(await Promise.all([0, 1, 2, 3].map((i) => adjust(instances[i % 2]!)))));
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await settled();

    const seen = stockUpdated
      .filter((event) => event.payload.productId === productId && event.payload.reason === 'ADJUSTED')
      .map((event) => event.payload.available);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});

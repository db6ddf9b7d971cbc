import { EntitySchema, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Envelope } from '../events/envelope.js';
import type { OutboxRecord, OutboxSource, PublishRecords } from '../events/outbox-relay.js';
import type { TopicName } from '../events/topics.js';
import { isTopicName } from '../events/topics.js';
import type { Logger } from '../logger.js';
import { listenForOutboxEvents } from './outbox-notifications.js';

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  envelope: unknown;
  createdAt: Date;
  sentAt: Date | null;
}

/** Events waiting to be published, written in the same transaction as the change they describe. */
export const OutboxEventEntity = new EntitySchema<OutboxRow>({
  name: 'OutboxEvent',
  tableName: 'outbox_event',
  columns: {
    // A sequence gives the publish order: commit order within one aggregate.
    id: { type: 'bigint', primary: true, generated: 'increment' },
    topic: { type: 'varchar', length: 200 },
    key: { type: 'varchar', length: 200 },
    envelope: { type: 'simple-json' },
    // Date: timestamptz in the PostgreSQL migrations, datetime in the embedded (SQLite) ones.
    createdAt: { name: 'created_at', type: Date, createDate: true },
    sentAt: { name: 'sent_at', type: Date, nullable: true },
  },
  indices: [{ name: 'outbox_event_unsent', columns: ['sentAt', 'id'] }],
});

/** Adds events to the outbox inside the caller's transaction. */
export async function enqueueEvents(
  manager: EntityManager,
  events: ReadonlyArray<{ topic: TopicName; key: string; envelope: Envelope<unknown> }>,
): Promise<void> {
  if (events.length === 0) return;
  await manager
    .getRepository(OutboxEventEntity)
    .insert(events.map(({ topic, key, envelope }) => ({ topic, key, envelope, sentAt: null })));
}

export interface TypeormOutboxSourceOptions {
  /** How many unsent rows (oldest first) a claim looks at to pick aggregates. Default 10 x limit. */
  readonly window?: number;
}

interface ClaimedRow {
  id: string;
  topic: string;
  key: string;
  envelope: string;
}

/**
 * The relay's view of the PostgreSQL outbox: unsent rows in commit order.
 *
 * Several relays (one per instance of a service) may share one outbox. A claim is one transaction
 * spanning read -> publish -> mark sent, holding `pg_try_advisory_xact_lock(outbox, hashtext(key))`
 * for every aggregate (Kafka key) it publishes: another relay skips those aggregates until the
 * transaction ends, then reads the rows afresh (READ COMMITTED: each statement sees what committed
 * before it), so it neither publishes them again nor overtakes them. The locks go when the
 * transaction ends, also when the relay's connection dies. PostgreSQL only.
 *
 * `watch` LISTENs for the notification the outbox_event trigger sends when a transaction that
 * wrote events commits (createOutboxNotifyTrigger), so that a relay learns of every process's
 * writes at once; polling stays as the fallback.
 */
export class TypeormOutboxSource implements OutboxSource {
  private readonly window: number | undefined;

  constructor(
    private readonly dataSource: DataSource,
    options: TypeormOutboxSourceOptions = {},
  ) {
    this.window = options.window;
  }

  async claim(limit: number, publish: PublishRecords): Promise<number> {
    if (this.dataSource.options.type !== 'postgres')
      throw new Error('TypeormOutboxSource needs PostgreSQL (advisory locks)');
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      try {
        const keys = await lockAggregates(runner, limit, this.window ?? limit * 10);
        const records = keys.length === 0 ? [] : await unsentOf(runner, keys, limit);
        const sent = records.length === 0 ? [] : await publish(records);
        if (sent.length > 0)
          await runner.query('UPDATE outbox_event SET sent_at = now() WHERE id = ANY($1::bigint[])', [
            sent.map((record) => record.id),
          ]);
        await runner.commitTransaction();
        return records.length;
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  watch(wake: () => void, logger: Logger): () => Promise<void> {
    return listenForOutboxEvents(this.dataSource, wake, logger);
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ pending: string }[]>(
      'SELECT count(*) AS pending FROM outbox_event WHERE sent_at IS NULL',
    );
    return Number(row?.pending ?? 0);
  }
}

/**
 * Locks the aggregates of the oldest unsent rows that no other relay holds, oldest first, and
 * returns their keys. Candidates come from a bounded window of unsent rows (index on sent_at, id),
 * so a claim costs the same whatever the backlog.
 */
async function lockAggregates(runner: QueryRunner, limit: number, window: number): Promise<string[]> {
  const rows: unknown = await runner.query(
    `WITH candidate AS MATERIALIZED (
       SELECT key, min(id) AS first_id
         FROM (SELECT key, id FROM outbox_event WHERE sent_at IS NULL ORDER BY id LIMIT $1) oldest
        GROUP BY key
        ORDER BY first_id
        LIMIT $2)
     SELECT key FROM candidate
      WHERE pg_try_advisory_xact_lock(hashtext('outbox_event'), hashtext(key))
      ORDER BY first_id`,
    [Math.max(window, limit), limit],
  );
  return Array.isArray(rows)
    ? rows.flatMap((row: { key?: unknown }) => (typeof row.key === 'string' ? [row.key] : []))
    : [];
}

/** The unsent rows of the locked aggregates, read after the locks were taken. */
async function unsentOf(
  runner: QueryRunner,
  keys: readonly string[],
  limit: number,
): Promise<OutboxRecord[]> {
  const rows: unknown = await runner.query(
    // Sorted by the bigint column, not by the text alias the driver receives.
    `SELECT o.id::text AS id, o.topic, o.key, o.envelope FROM outbox_event o
      WHERE o.sent_at IS NULL AND o.key = ANY($1::varchar[])
      ORDER BY o.id LIMIT $2`,
    [keys, limit],
  );
  return Array.isArray(rows) ? (rows as ClaimedRow[]).flatMap(toRecord) : [];
}

function toRecord(row: ClaimedRow): OutboxRecord[] {
  if (!isTopicName(row.topic)) return [];
  return [{ id: row.id, topic: row.topic, key: row.key, envelope: JSON.parse(row.envelope) as unknown }];
}

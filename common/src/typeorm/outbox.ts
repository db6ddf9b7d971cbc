import { EntitySchema, IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Envelope } from '../events/envelope.js';
import type { OutboxRecord, OutboxSource } from '../events/outbox-relay.js';
import type { TopicName } from '../events/topics.js';
import { isTopicName } from '../events/topics.js';

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
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    sentAt: { name: 'sent_at', type: 'timestamptz', nullable: true },
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

/** The relay's view of the PostgreSQL outbox: unsent rows in commit order. */
export class TypeormOutboxSource implements OutboxSource {
  constructor(private readonly dataSource: DataSource) {}

  async pending(limit: number): Promise<readonly OutboxRecord[]> {
    const rows = await this.dataSource.getRepository(OutboxEventEntity).find({
      where: { sentAt: IsNull() },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.flatMap(toRecord);
  }

  async markSent(records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .update(OutboxEventEntity)
      .set({ sentAt: () => 'CURRENT_TIMESTAMP' })
      .whereInIds(records.map((record) => record.id))
      .execute();
  }
}

function toRecord(row: OutboxRow): OutboxRecord[] {
  if (!isTopicName(row.topic)) return [];
  return [{ id: String(row.id), topic: row.topic, key: row.key, envelope: row.envelope }];
}

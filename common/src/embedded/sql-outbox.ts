import { IsNull, type DataSource } from 'typeorm';
import type { OutboxRecord, OutboxSource, PublishRecords } from '../events/outbox-relay.js';
import { isTopicName } from '../events/topics.js';
import { OutboxEventEntity } from '../typeorm/outbox.js';
import { exclusive } from './sql.js';

/**
 * The relay's view of an embedded (SQLite) outbox_event table: unsent rows in commit order.
 *
 * One process owns an embedded database, so one relay reads it and there is nothing to lock
 * against other relays. The table is only touched inside `exclusive` (one connection), and not
 * while publishing: a consumer on the same database may run meanwhile.
 */
export class EmbeddedSqlOutboxSource implements OutboxSource {
  constructor(private readonly dataSource: DataSource) {}

  async claim(limit: number, publish: PublishRecords): Promise<number> {
    const rows = await exclusive(this.dataSource, () =>
      this.dataSource.getRepository(OutboxEventEntity).find({
        where: { sentAt: IsNull() },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
    if (rows.length === 0) return 0;
    const records: OutboxRecord[] = [];
    const unknown: string[] = [];
    for (const row of rows) {
      const id = String(row.id);
      if (isTopicName(row.topic))
        records.push({ id, topic: row.topic, key: row.key, envelope: row.envelope });
      // Only enqueueEvents writes this table, with typed topics: a stranger would block the queue.
      else unknown.push(id);
    }
    const sent = records.length === 0 ? [] : await publish(records);
    const done = [...sent.map((record) => record.id), ...unknown];
    if (done.length > 0) {
      await exclusive(this.dataSource, () =>
        this.dataSource
          .createQueryBuilder()
          .update(OutboxEventEntity)
          .set({ sentAt: new Date() })
          .whereInIds(done)
          .execute(),
      );
    }
    return rows.length;
  }

  async pendingCount(): Promise<number> {
    return exclusive(this.dataSource, () =>
      this.dataSource.getRepository(OutboxEventEntity).count({ where: { sentAt: IsNull() } }),
    );
  }
}

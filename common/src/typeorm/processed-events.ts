import { EntitySchema, type EntityManager } from 'typeorm';

interface ProcessedEventRow {
  eventId: string;
  consumer: string;
  processedAt: Date;
}

/** Ids of consumed events whose effect is stored; written in the same transaction as the effect. */
export const ProcessedEventEntity = new EntitySchema<ProcessedEventRow>({
  name: 'ProcessedEvent',
  tableName: 'processed_event',
  columns: {
    eventId: { name: 'event_id', type: 'varchar', length: 64, primary: true },
    consumer: { type: 'varchar', length: 100, primary: true },
    // Date: timestamptz in the PostgreSQL migrations, datetime in the embedded (SQLite) ones.
    processedAt: { name: 'processed_at', type: Date, createDate: true },
  },
});

/**
 * Records that `consumer` handled `eventId`, inside the caller's transaction. Returns false when it
 * was already recorded: the caller then skips the effect (a redelivery).
 */
export async function markProcessed(
  manager: EntityManager,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const postgres = manager.connection.options.type === 'postgres';
  const [first, second] = postgres ? ['$1', '$2'] : ['?', '?'];
  const rows: unknown = await manager.query(
    `INSERT INTO processed_event (event_id, consumer) VALUES (${first}, ${second})
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [eventId, consumer],
  );
  return Array.isArray(rows) && rows.length > 0;
}

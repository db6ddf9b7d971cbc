import { OutboxEventEntity, ProcessedEventEntity } from '@commerce/common/typeorm';
import { DataSource } from 'typeorm';
import { InventoryItemEntity, ReservationEntity } from './entities.js';
import { InventoryInit1767225600000 } from './migrations/InventoryInit1767225600000.js';

/**
 * The inventory's PostgreSQL data source: EntitySchema entities, migrations run on initialize
 * (never `synchronize`). Not initialized: the caller calls `initialize()` and owns `destroy()`.
 */
export function createInventoryDataSource(databaseUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: [InventoryItemEntity, ReservationEntity, OutboxEventEntity, ProcessedEventEntity],
    migrations: [InventoryInit1767225600000],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
}

import { createEmbeddedSqlDataSource } from '@commerce/common/embedded';
import { OutboxEventEntity, OutboxNotify1795756400000, ProcessedEventEntity } from '@commerce/common/typeorm';
import { DataSource } from 'typeorm';
import { InventoryItemEntity, ReservationEntity } from './entities.js';
import { InventoryInit1767225600000 } from './migrations/1767225600000-InventoryInit.js';
import { InventoryInitEmbedded1767225600001 } from './migrations/1767225600001-InventoryInitEmbedded.js';
import { InventoryItemVersion1795754954408 } from './migrations/1795754954408-InventoryItemVersion.js';

const entities = [InventoryItemEntity, ReservationEntity, OutboxEventEntity, ProcessedEventEntity];

/**
 * The inventory's PostgreSQL data source: EntitySchema entities, migrations run on initialize
 * (never `synchronize`). Not initialized: the caller calls `initialize()` and owns `destroy()`.
 */
export function createInventoryDataSource(databaseUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: [InventoryInit1767225600000, InventoryItemVersion1795754954408, OutboxNotify1795756400000],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
}

/**
 * The inventory's embedded data source: SQLite in `file` (kept in memory when undefined), same
 * entities, its own first migration (SQLite types) then the later ones, shared with PostgreSQL. Not
 * initialized, like createInventoryDataSource.
 */
export function createEmbeddedInventoryDataSource(file?: string): DataSource {
  return createEmbeddedSqlDataSource({
    file,
    entities,
    migrations: [InventoryInitEmbedded1767225600001, InventoryItemVersion1795754954408],
  });
}

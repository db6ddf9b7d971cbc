import { createEmbeddedSqlDataSource } from '@commerce/common/embedded';
import { OutboxEventEntity, OutboxNotify1795756400000, ProcessedEventEntity } from '@commerce/common/typeorm';
import { DataSource } from 'typeorm';
import { AddressEntity, RefreshTokenEntity, UserEntity } from './entities.js';
import { CreateUsersTables1732230000000 } from './migrations/1732230000000-CreateUsersTables.js';
import { CreateUsersTablesEmbedded1732230000001 } from './migrations/1732230000001-CreateUsersTablesEmbedded.js';

const entities = [UserEntity, AddressEntity, RefreshTokenEntity, OutboxEventEntity, ProcessedEventEntity];

/**
 * The users subgraph's PostgreSQL DataSource, not yet initialized: `initialize()` connects and runs
 * the migrations (`migrationsRun`); nothing is synchronized from the entities.
 */
export function createUsersDataSource(databaseUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: [CreateUsersTables1732230000000, OutboxNotify1795756400000],
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    applicationName: 'commerce-users',
  });
}

/**
 * The users subgraph's embedded DataSource: SQLite in `file` (kept in memory when undefined),
 * same entities, its own migration. Not yet initialized, like createUsersDataSource.
 */
export function createEmbeddedUsersDataSource(file?: string): DataSource {
  return createEmbeddedSqlDataSource({
    file,
    entities,
    migrations: [CreateUsersTablesEmbedded1732230000001],
  });
}

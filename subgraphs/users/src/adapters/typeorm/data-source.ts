import { OutboxEventEntity, ProcessedEventEntity } from '@commerce/common/typeorm';
import { DataSource } from 'typeorm';
import { AddressEntity, RefreshTokenEntity, UserEntity } from './entities.js';
import { CreateUsersTables1732230000000 } from './migrations/1732230000000-CreateUsersTables.js';

/**
 * The users subgraph's PostgreSQL DataSource, not yet initialized: `initialize()` connects and runs
 * the migrations (`migrationsRun`); nothing is synchronized from the entities.
 */
export function createUsersDataSource(databaseUrl: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: [UserEntity, AddressEntity, RefreshTokenEntity, OutboxEventEntity, ProcessedEventEntity],
    migrations: [CreateUsersTables1732230000000],
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    applicationName: 'commerce-users',
  });
}

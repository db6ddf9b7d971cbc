import { join } from 'node:path';
import type { OpenedSubgraph, StorageLocation } from '@commerce/common/server';
import { createEmbeddedUsersDataSource, createUsersDataSource } from './adapters/typeorm/data-source.js';
import { startUsersSubgraph } from './server.js';

/**
 * Opens the users subgraph's database and runs its migrations: `<dataDir>/users.sqlite` when
 * embedded, else the PostgreSQL database at `location.url`.
 */
export async function openUsersStorage(location: StorageLocation): Promise<OpenedSubgraph> {
  const dataSource =
    location.mode === 'embedded'
      ? createEmbeddedUsersDataSource(join(location.dataDir, 'users.sqlite'))
      : createUsersDataSource(location.url);
  // A failed initialize() leaves nothing open: TypeORM destroys the DataSource when its migrations fail.
  await dataSource.initialize();
  return {
    start: (deps) => startUsersSubgraph({ ...deps, dataSource }),
    close: () => dataSource.destroy(),
  };
}

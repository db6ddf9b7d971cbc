import { join } from 'node:path';
import type { OpenedSubgraph, StorageLocation } from '@commerce/common/server';
import {
  createEmbeddedInventoryDataSource,
  createInventoryDataSource,
} from './adapters/typeorm/data-source.js';
import { startInventorySubgraph } from './server.js';

/**
 * Opens the inventory's database and runs its migrations: `<dataDir>/inventory.sqlite` when
 * embedded, else the PostgreSQL database at `location.url`.
 */
export async function openInventoryStorage(location: StorageLocation): Promise<OpenedSubgraph> {
  const dataSource =
    location.mode === 'embedded'
      ? createEmbeddedInventoryDataSource(join(location.dataDir, 'inventory.sqlite'))
      : createInventoryDataSource(location.url);
  // A failed initialize() leaves nothing open: TypeORM destroys the DataSource when its migrations fail.
  await dataSource.initialize();
  return {
    start: (deps) => startInventorySubgraph({ ...deps, dataSource }),
    close: () => dataSource.destroy(),
  };
}

import { join } from 'node:path';
import { DocumentDatabase, lockDataDir } from '@commerce/common/embedded';
import { createEmbeddedInventoryDataSource } from '@commerce/inventory';
import { createEmbeddedUsersDataSource } from '@commerce/users';
import type { DataSource } from 'typeorm';

/** The four subgraphs' embedded stores, opened from one data folder. */
export interface EmbeddedStorage {
  readonly dataDir: string;
  /** SQLite (sql.js) in users.sqlite, initialized and migrated. */
  readonly users: DataSource;
  /** SQLite (sql.js) in inventory.sqlite, initialized and migrated. */
  readonly inventory: DataSource;
  /** Document database in products.json. */
  readonly products: DocumentDatabase;
  /** Document database in orders.json (orders and the catalog copy). */
  readonly orders: DocumentDatabase;
  /** Closes the stores and gives the folder up. Close the subgraphs first. */
  close(): Promise<void>;
}

/**
 * Opens (creating them when new) the embedded stores in `dataDir`, locking the folder for this
 * process: users.sqlite, inventory.sqlite, products.json, orders.json.
 */
export async function openEmbeddedStorage(dataDir: string): Promise<EmbeddedStorage> {
  const lock = lockDataDir(dataDir);
  const users = createEmbeddedUsersDataSource(join(dataDir, 'users.sqlite'));
  const inventory = createEmbeddedInventoryDataSource(join(dataDir, 'inventory.sqlite'));
  const destroy = async (): Promise<void> => {
    await Promise.all(
      [users, inventory].map((source) => (source.isInitialized ? source.destroy() : Promise.resolve())),
    );
  };
  try {
    await Promise.all([users.initialize(), inventory.initialize()]);
    const products = DocumentDatabase.open(join(dataDir, 'products.json'));
    const orders = DocumentDatabase.open(join(dataDir, 'orders.json'));
    return {
      dataDir,
      users,
      inventory,
      products,
      orders,
      close: async () => {
        products.close();
        orders.close();
        try {
          await destroy();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    await destroy().catch(() => undefined);
    lock.release();
    throw error;
  }
}

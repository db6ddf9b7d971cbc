import { join } from 'node:path';
import { mongoDatabaseName } from '@commerce/common/config';
import { DocumentDatabase } from '@commerce/common/embedded';
import type { OpenedSubgraph, StorageLocation } from '@commerce/common/server';
import { MongoClient } from 'mongodb';
import { ensureProductsIndexes } from './adapters/mongo/indexes.js';
import { startProductsSubgraph } from './server.js';

/**
 * Opens the catalog's storage: `<dataDir>/products.json` (the embedded document database), or the
 * MongoDB database of `location.url` with its indexes ensured.
 */
export async function openProductsStorage(location: StorageLocation): Promise<OpenedSubgraph> {
  if (location.mode === 'embedded') {
    const documents = DocumentDatabase.open(join(location.dataDir, 'products.json'));
    return {
      start: (deps) => startProductsSubgraph({ ...deps, documents }),
      close: () => {
        documents.close();
        return Promise.resolve();
      },
    };
  }
  const databaseName = mongoDatabaseName(location.url);
  // A database that cannot be reached fails an operation within 5 s (the driver waits 30 s by default):
  // consumers back off and retry, and /health reports it, instead of holding each attempt for 30 s.
  const client = await new MongoClient(location.url, { serverSelectionTimeoutMS: 5_000 }).connect();
  try {
    const db = client.db(databaseName);
    await ensureProductsIndexes(db);
    return {
      start: (deps) => startProductsSubgraph({ ...deps, db }),
      close: () => client.close(),
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}

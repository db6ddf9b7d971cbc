import { lockDataDir } from '@commerce/common/embedded';
import type { OpenedSubgraph } from '@commerce/common/server';
import type { Closers } from './closers.js';
import { forEachSubgraph } from './each-subgraph.js';
import type { ListedSubgraph, SubgraphName } from './subgraphs.js';

export type OpenedSubgraphs = Readonly<Record<SubgraphName, OpenedSubgraph>>;

/**
 * Opens every subgraph's embedded storage in `dataDir` (users.sqlite, products.json, …), locking the
 * folder for this process. Each opened store, and the lock, is pushed onto `closers`.
 */
export async function openEmbeddedStorage(dataDir: string, closers: Closers): Promise<OpenedSubgraphs> {
  const lock = lockDataDir(dataDir);
  closers.push(() => Promise.resolve(lock.release()));
  return openEach(closers, () => ({ mode: 'embedded', dataDir }));
}

/**
 * Opens every subgraph's storage on the servers: `databaseUrl(subgraph)` gives the URL of its own
 * database (creating it where needed) on the server its descriptor names.
 */
export async function openServerStorage(
  databaseUrl: (subgraph: ListedSubgraph) => Promise<string>,
  closers: Closers,
): Promise<OpenedSubgraphs> {
  const urls = await forEachSubgraph(databaseUrl);
  return openEach(closers, (subgraph) => ({ mode: 'servers', url: urls[subgraph.name] }));
}

async function openEach(
  closers: Closers,
  location: (subgraph: ListedSubgraph) => Parameters<ListedSubgraph['open']>[0],
): Promise<OpenedSubgraphs> {
  return forEachSubgraph(async (subgraph) => {
    const opened = await subgraph.open(location(subgraph));
    closers.push(() => opened.close());
    return opened;
  });
}

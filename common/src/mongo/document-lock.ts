import { KeyedMutex } from '../keyed-mutex.js';

/**
 * Why a lock per document: FerretDB v1 (SQLite backend) applies an update by reading the document,
 * changing it and writing it back whole, without isolation. Two concurrent writes to one document can
 * both "match" a conditional filter, and the last one silently erases the other (a status change, a
 * pending event). Serializing every write to a document in this process restores what MongoDB
 * guarantees for a single-document write, as long as one process writes a database (true of each
 * subgraph here). One lock space per process, so that every store and relay writing a document of a
 * database shares it.
 */
const documentLocks = new KeyedMutex();

/** Runs `work` while holding the write lock of one document of a collection (any Collection). */
export function withDocumentLock<T>(
  collection: { readonly dbName: string; readonly collectionName: string },
  id: string,
  work: () => Promise<T>,
): Promise<T> {
  return documentLocks.run(`${collection.dbName}\u0000${collection.collectionName}\u0000${id}`, work);
}

/**
 * Runs `work` while holding the write locks of several documents of a collection, taken one by one
 * in sorted order: deadlock-free alongside writers that each hold one document's lock at a time.
 */
export async function withDocumentLocks<T>(
  collection: { readonly dbName: string; readonly collectionName: string },
  ids: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const sorted = [...new Set(ids)].sort();
  const lockFrom = (i: number): Promise<T> =>
    i === sorted.length ? work() : withDocumentLock(collection, sorted[i]!, () => lockFrom(i + 1));
  return lockFrom(0);
}

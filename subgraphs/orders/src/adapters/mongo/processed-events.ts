import { MongoServerError, type Collection, type Filter, type UpdateFilter, type WithId } from 'mongodb';
import { withDocumentLock } from '@commerce/common/mongo';

/** How many processed event ids a document keeps (the newest). */
export const maxProcessedEventIds = 100;

/** A document that records the events already applied to it. */
export interface ProcessedEventsDocument {
  _id: string;
  processedEventIds: string[];
}

/**
 * Applies `update` to document `id` once per event: the filter skips a document that already lists
 * the event id, and the same write records it. Returns the document after the write, or undefined
 * when nothing was applied (already processed, or `condition` did not hold).
 *
 * With `upsert`, a missing document is created. An existing document that does not match makes the
 * upsert collide on _id (E11000); the write is then retried as a plain update, which also covers two
 * handlers creating the same document at once. The write holds the document's lock (see withDocumentLock in @commerce/common/mongo).
 */
export async function applyOnce<T extends ProcessedEventsDocument>(
  collection: Collection<T>,
  id: string,
  eventId: string,
  condition: Filter<T>,
  update: UpdateFilter<T>,
  options: { readonly upsert: boolean },
): Promise<WithId<T> | undefined> {
  // _id stays at the top level: FerretDB v1 does not take an upserted document's _id from inside $and.
  // The driver's types cannot follow these generic merges; the shapes are those of ProcessedEventsDocument.
  const filter = { _id: id, processedEventIds: { $ne: eventId }, $and: [condition] } as Filter<T>;
  const write = { ...update, $addToSet: { processedEventIds: eventId } } as unknown as UpdateFilter<T>;
  return withDocumentLock(collection, id, async () => {
    let after: WithId<T> | null;
    try {
      after = await collection.findOneAndUpdate(filter, write, {
        upsert: options.upsert,
        returnDocument: 'after',
      });
    } catch (error) {
      if (!(options.upsert && isDuplicateKey(error))) throw error;
      after = await collection.findOneAndUpdate(filter, write, { returnDocument: 'after' });
    }
    if (!after) return undefined;
    await trimProcessed(collection, id, after.processedEventIds.length);
    return after;
  });
}

/**
 * Drops the oldest ids beyond the bound. FerretDB v1 accepts `$push` with `$slice` but ignores the
 * slice, and ignores `$pull` with `$in` on strings, so this pops one at a time, only while too long.
 */
async function trimProcessed<T extends ProcessedEventsDocument>(
  collection: Collection<T>,
  id: string,
  length: number,
): Promise<void> {
  for (let excess = length - maxProcessedEventIds; excess > 0; excess -= 1) {
    const tooLong = {
      _id: id,
      [`processedEventIds.${maxProcessedEventIds}`]: { $exists: true },
    } as Filter<T>;
    const result = await collection.updateOne(tooLong, {
      $pop: { processedEventIds: -1 },
    } as unknown as UpdateFilter<T>);
    if (result.matchedCount === 0) return;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

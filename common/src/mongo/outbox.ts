import type { Collection, Db } from 'mongodb';
import type { Envelope } from '../events/envelope.js';
import type { OutboxRecord, OutboxSource, PublishRecords } from '../events/outbox-relay.js';
import { isTopicName, type TopicName } from '../events/topics.js';
import { withDocumentLocks } from './document-lock.js';
import { OutboxLease, type OutboxLeaseOptions } from './outbox-lease.js';

/**
 * An event kept inside the document whose change it describes. FerretDB has no multi-document
 * transactions, so the change and its event must be one single-document write.
 */
export interface PendingEvent {
  readonly eventId: string;
  readonly topic: TopicName;
  readonly key: string;
  readonly envelope: Envelope<unknown>;
}

/** A document that can carry pending events. Documents of this project use string ids (UUIDs). */
export interface WithPendingEvents {
  pendingEvents?: PendingEvent[];
}

export function pendingEvent(topic: TopicName, key: string, envelope: Envelope<unknown>): PendingEvent {
  return { eventId: envelope.metadata.eventId, topic, key, envelope };
}

interface OutboxDocument extends WithPendingEvents {
  _id: string;
}

export type MongoOutboxSourceOptions = OutboxLeaseOptions;

/**
 * The most documents whose sent events one command removes. FerretDB 1.24 (unpatched) keeps a
 * pooled backend connection per statement of an update command until the command ends, so a
 * command of more statements than its pool holds (50 on PostgreSQL, 100 on SQLite) never ends and
 * stalls the server; scripts/infra/ferretdb/patches/0002 fixes that, this bound keeps to it anyway.
 */
export const removalsPerCommand = 40;

/**
 * How many of those commands run at once (on disjoint documents): one's FerretDB work overlaps the
 * other's SQLite commit. Alone, 0.6-0.9 ms per document instead of 1.5-1.8 here; within the noise
 * of `bench:relay`, where finding the events costs as much. Four did no better.
 */
const removalCommandsInFlight = 2;

/**
 * The relay's view of one collection's pending events, in write order per document.
 *
 * Several relays may share the collection: a claim first takes (or renews) the collection's lease
 * in `outbox_leases` (see OutboxLease), so one relay at a time publishes and the others stand by;
 * `stop()` of the relay releases it. Within one process every write to a document, including the
 * relay's removal of sent events, goes through `withDocumentLock`: on FerretDB v1 only one process
 * may write a database's documents (updates are not isolated); on MongoDB any number may.
 *
 * Sent events are removed with `$pullAll` of the exact stored objects: FerretDB v1 ignores `$pull`
 * with a condition (`{ eventId: { $in } }` modifies nothing and reports no error), which would
 * publish the same events again on every poll. `$pullAll` works on FerretDB and MongoDB alike.
 */
export class MongoOutboxSource implements OutboxSource {
  private readonly collection: Collection<OutboxDocument>;
  /** The stored event behind each record handed out, to remove exactly that object. */
  private readonly stored = new WeakMap<
    OutboxRecord,
    { readonly docId: string; readonly event: PendingEvent }
  >();

  private readonly lease: OutboxLease;

  constructor(db: Db, collectionName: string, options: MongoOutboxSourceOptions = {}) {
    this.collection = db.collection<OutboxDocument>(collectionName);
    this.lease = new OutboxLease(db, `${db.databaseName}.${collectionName}`, options);
  }

  async claim(limit: number, publish: PublishRecords): Promise<number> {
    if (!(await this.lease.acquire())) return 0;
    const records = await this.pending(limit);
    if (records.length === 0) return 0;
    const sent = await publish(records, () => this.lease.holding());
    await this.markSent(sent);
    return records.length;
  }

  release(): Promise<void> {
    return this.lease.release();
  }

  async pendingCount(): Promise<number> {
    const docs = await this.collection
      .find({ 'pendingEvents.0': { $exists: true } }, { projection: { pendingEvents: 1 } })
      .toArray();
    return docs.reduce((sum, doc) => sum + (doc.pendingEvents?.length ?? 0), 0);
  }

  /** Pending events, in write order per document (without taking the lease). */
  async pending(limit: number): Promise<readonly OutboxRecord[]> {
    const docs = await this.collection
      .find({ 'pendingEvents.0': { $exists: true } }, { projection: { pendingEvents: 1 } })
      .limit(limit)
      .batchSize(Math.min(limit, 1_000))
      .toArray();
    const records: OutboxRecord[] = [];
    for (const doc of docs) {
      for (const event of doc.pendingEvents ?? []) {
        if (!isTopicName(event.topic)) continue;
        const record: OutboxRecord = {
          id: `${doc._id}/${event.eventId}`,
          topic: event.topic,
          key: event.key,
          envelope: event.envelope,
        };
        this.stored.set(record, { docId: doc._id, event });
        records.push(record);
        if (records.length >= limit) return records;
      }
    }
    return records;
  }

  /**
   * Removes sent events from their documents: one update by `_id` per document, whatever its number
   * of events, sent `removalsPerCommand` documents to a command (bulkWrite) holding their locks,
   * `removalCommandsInFlight` commands at a time. What a removal costs on FerretDB 1.24 (SQLite) is
   * FerretDB's own work per statement (reading, decoding and writing back the whole document), once
   * its `_id` lookups use the `_id` index (scripts/infra/ferretdb/patches/0001; unpatched, every
   * update scanned the whole table: 5 ms at 200 documents, 25 ms at 500). `updateMany` over
   * `_id: { $in }` is no cheaper: FerretDB pushes no `$in` down.
   */
  async markSent(records: readonly OutboxRecord[]): Promise<void> {
    const byDocument = new Map<string, PendingEvent[]>();
    for (const record of records) {
      const stored = this.stored.get(record);
      if (!stored) continue;
      byDocument.set(stored.docId, [...(byDocument.get(stored.docId) ?? []), stored.event]);
    }
    const removals = [...byDocument];
    const chunks: (typeof removals)[] = [];
    for (let from = 0; from < removals.length; from += removalsPerCommand)
      chunks.push(removals.slice(from, from + removalsPerCommand));
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
        const removal = chunk;
        await withDocumentLocks(
          this.collection,
          removal.map(([docId]) => docId),
          () =>
            this.collection.bulkWrite(
              removal.map(([docId, events]) => ({
                updateOne: { filter: { _id: docId }, update: { $pullAll: { pendingEvents: events } } },
              })),
            ),
        );
      }
    };
    // After a failed command the other worker still finishes its chunks, then markSent throws: the
    // events not removed are published again (duplicates, never losses).
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(removalCommandsInFlight, chunks.length) }, worker),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

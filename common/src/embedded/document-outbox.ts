import type { OutboxRecord, OutboxSource, PublishRecords } from '../events/outbox-relay.js';
import { isTopicName } from '../events/topics.js';
import type { WithPendingEvents } from '../mongo/outbox.js';
import type { DocumentCollection, StoredDocument } from './documents.js';

/** A document of an embedded collection that carries its own outbox (as in the Mongo stores). */
export type DocumentWithPendingEvents = StoredDocument & WithPendingEvents;

/**
 * The relay's view of the pending events of one embedded collection: each document's events in
 * write order. Published events are removed by event id, so events written meanwhile stay.
 * One process owns an embedded database, hence one relay: no claim to share with others.
 */
export class DocumentOutboxSource implements OutboxSource {
  constructor(private readonly collection: DocumentCollection<DocumentWithPendingEvents>) {}

  async claim(limit: number, publish: PublishRecords): Promise<number> {
    const records: OutboxRecord[] = [];
    const documentOf = new Map<OutboxRecord, string>();
    const pending = this.collection.find((document) => (document.pendingEvents?.length ?? 0) > 0);
    for (const { _id, pendingEvents = [] } of pending) {
      for (const event of pendingEvents) {
        if (records.length >= limit) break;
        // Only this project's stores write pending events, always with a known topic.
        if (!isTopicName(event.topic)) continue;
        const record = { id: event.eventId, topic: event.topic, key: event.key, envelope: event.envelope };
        documentOf.set(record, _id);
        records.push(record);
      }
    }
    if (records.length === 0) return 0;
    const sentByDocument = new Map<string, Set<string>>();
    for (const record of await publish(records)) {
      const documentId = documentOf.get(record);
      if (documentId !== undefined)
        sentByDocument.set(documentId, (sentByDocument.get(documentId) ?? new Set()).add(record.id));
    }
    for (const [documentId, sent] of sentByDocument) {
      this.collection.update(documentId, (current) =>
        current
          ? { ...current, pendingEvents: (current.pendingEvents ?? []).filter((e) => !sent.has(e.eventId)) }
          : undefined,
      );
    }
    return records.length;
  }

  pendingCount(): Promise<number> {
    const pending = this.collection.find((document) => (document.pendingEvents?.length ?? 0) > 0);
    return Promise.resolve(pending.reduce((sum, document) => sum + (document.pendingEvents?.length ?? 0), 0));
  }
}

import type { DocumentCollection } from '@commerce/common/embedded';
import { maxProcessedEventIds, type ProcessedEventsDocument } from '../mongo/processed-events.js';

/**
 * Applies `change` to document `id` once per event, recording the event id in the same write (the
 * newest maxProcessedEventIds ids are kept, as in MongoDB). `change` sees the document, or
 * undefined when it is missing, and returns the next version, or undefined to write nothing.
 * Returns the document after the write, or undefined when nothing was applied (already processed,
 * or `change` declined).
 */
export function applyOnce<T extends ProcessedEventsDocument>(
  collection: DocumentCollection<T>,
  id: string,
  eventId: string,
  change: (current: T | undefined) => T | undefined,
): T | undefined {
  return collection.update(id, (current) => {
    if (current?.processedEventIds.includes(eventId)) return undefined;
    const next = change(current);
    if (next === undefined) return undefined;
    const processed = [...(current?.processedEventIds ?? []), eventId].slice(-maxProcessedEventIds);
    return { ...next, processedEventIds: processed };
  });
}

/** How far behind one subscriber may fall before it is coalesced, then closed. */
export interface BacklogLimits {
  /** Results waiting to be written for one subscription (default 1000). */
  readonly maxQueued: number;
  /** Bytes the connection's socket has not flushed yet (default 4 MiB). */
  readonly maxBufferedBytes: number;
}

export const defaultBacklogLimits: BacklogLimits = { maxQueued: 1_000, maxBufferedBytes: 4 * 1024 * 1024 };

/** A queued item; items with the same `coalesceKey` replace each other once the subscriber lags. */
export interface Queued<T> {
  readonly value: T;
  readonly coalesceKey?: string | undefined;
}

/**
 * What became of a new item: queued as usual, queued after dropping the older items it supersedes
 * (the subscriber lags), or refused because the subscriber is too far behind to catch up.
 */
export type Admission = 'queued' | 'coalesced' | 'overflow';

/**
 * Admits `item` into `queue` (mutated). Below the limits every item is queued. A lagging subscriber
 * (queue full, or its socket holding too many unsent bytes) keeps only the latest item per coalesce
 * key; an item without a key, or a queue still full after coalescing, is an overflow.
 */
export function admit<T>(
  queue: Queued<T>[],
  item: Queued<T>,
  bufferedBytes: number,
  limits: BacklogLimits,
): Admission {
  const lagging = queue.length >= limits.maxQueued || bufferedBytes >= limits.maxBufferedBytes;
  if (!lagging) {
    queue.push(item);
    return 'queued';
  }
  if (item.coalesceKey === undefined) return 'overflow';
  for (let i = queue.length - 1; i >= 0; i -= 1) {
    if (queue[i]?.coalesceKey === item.coalesceKey) queue.splice(i, 1);
  }
  if (queue.length >= limits.maxQueued) return 'overflow';
  queue.push(item);
  return 'coalesced';
}

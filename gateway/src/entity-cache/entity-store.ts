import { LRUCache } from 'lru-cache';

/** A fetch that may fill the store: the invalidation sequence number when it started. */
export interface FillTicket {
  readonly id: number;
  readonly startedAt: number;
}

/** Bytes counted per selection besides its JSON (the key, the map entry). */
const entryOverhead = 64;

/**
 * The cached entity results of one subgraph: per entity (`Product:<id>`), the JSON of its result for
 * each selection (fetch document and variables). Bounded in size (least recently used go first),
 * never by time: entries leave when an event invalidates their entity.
 *
 * The fetch/event race: every invalidation takes the next sequence number, and a fetch takes a
 * ticket with the current one before it is sent. Its results fill the store only for entities not
 * invalidated since (nor the whole store cleared), so a fetch that may have read the state before an
 * event was read never leaves that state behind it.
 */
export class EntityStore {
  private sequence = 0;
  private clearedAt = 0;
  private nextTicket = 0;
  private enabled = false;
  private serving = true;
  private readonly entries: LRUCache<string, Map<string, string>>;
  /** The last invalidation of each entity, oldest first; kept only while an older fetch is in flight. */
  private readonly invalidatedAt = new Map<string, number>();
  /** Tickets of the fetches in flight, oldest first (their `startedAt` never decreases). */
  private readonly inFlight = new Map<number, number>();

  constructor(maxBytes: number) {
    this.entries = new LRUCache({
      maxSize: maxBytes,
      sizeCalculation: (selections) => {
        let size = entryOverhead;
        for (const json of selections.values()) size += json.length + entryOverhead;
        return size;
      },
    });
  }

  /** Serves and fills from now on (after the invalidating events are read from a known position). */
  enable(): void {
    this.enabled = true;
  }

  /** Stops serving and filling for good, dropping everything (the events can no longer be read). */
  disable(): void {
    this.enabled = false;
    this.clear();
  }

  /**
   * Serves (`true`) or only fills (`false`): while the events are not being read (the broker
   * unreachable), entries may be behind events not read yet; they go when those are read.
   */
  serve(serving: boolean): void {
    this.serving = serving;
  }

  /** The cached result of `entity` for `selection`, a fresh copy (the gateway merges into it). */
  get(entity: string, selection: string): unknown {
    if (!this.enabled || !this.serving) return undefined;
    const json = this.entries.get(entity)?.get(selection);
    return json === undefined ? undefined : JSON.parse(json);
  }

  /** Called before the fetch is sent; `undefined` when the store is not filling. */
  begin(): FillTicket | undefined {
    if (!this.enabled) return undefined;
    const ticket = { id: (this.nextTicket += 1), startedAt: this.sequence };
    this.inFlight.set(ticket.id, ticket.startedAt);
    return ticket;
  }

  /** Stores `json` unless `entity` was invalidated (or the store cleared) since the ticket was taken. */
  fill(ticket: FillTicket, entity: string, selection: string, json: string): void {
    if (!this.enabled || !this.inFlight.has(ticket.id)) return;
    if (ticket.startedAt < this.clearedAt || ticket.startedAt < (this.invalidatedAt.get(entity) ?? 0)) return;
    const selections = this.entries.get(entity) ?? new Map<string, string>();
    selections.set(selection, json);
    // Set again even when present: the size is counted on set.
    this.entries.set(entity, selections);
  }

  /** The fetch is over (answered or failed): its ticket fills no more. */
  end(ticket: FillTicket | undefined): void {
    if (!ticket) return;
    this.inFlight.delete(ticket.id);
    this.prune();
  }

  /** An event changed `entity`: its entries go, and no fetch in flight may put them back. */
  invalidate(entity: string): void {
    this.sequence += 1;
    this.entries.delete(entity);
    // Deleted first so that the map stays in sequence order.
    this.invalidatedAt.delete(entity);
    this.invalidatedAt.set(entity, this.sequence);
    this.prune();
  }

  /** Drops every entry, and no fetch in flight may fill (a mutation through this gateway, a lost event). */
  clear(): void {
    this.sequence += 1;
    this.clearedAt = this.sequence;
    this.entries.clear();
    this.invalidatedAt.clear();
  }

  /** Entities cached (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets invalidations that no fetch in flight started before. */
  private prune(): void {
    const oldest = this.inFlight.values().next();
    const horizon = oldest.done ? this.sequence : oldest.value;
    for (const [entity, at] of this.invalidatedAt) {
      if (at > horizon) break;
      this.invalidatedAt.delete(entity);
    }
  }
}

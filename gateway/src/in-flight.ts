/**
 * Identical work in flight at the same time, done once: the first caller of a key (the leader)
 * runs the task; callers of the same key until it settles (followers) wait for the leader's result
 * instead of running their own. Nothing is kept once the task has settled: this is not a cache.
 *
 * When a result was shared, every caller receives its own `copy` of it (the pristine result is
 * handed to nobody), so that no caller sees another's changes to it. A failure is shared as is.
 */
export class InFlight<T> {
  private readonly pending = new Map<string, { readonly result: Promise<T>; callers: number }>();
  private sharedCount = 0;

  constructor(private readonly copy: (result: T) => T) {}

  run(key: string, task: () => Promise<T>): Promise<T> {
    let entry = this.pending.get(key);
    if (entry) {
      entry.callers += 1;
      this.sharedCount += 1;
    } else {
      const result = task();
      const created = { result, callers: 1 };
      entry = created;
      this.pending.set(key, created);
      // Registered before any caller's reaction: the key is gone before anyone sees the result.
      void result.then(
        () => this.pending.delete(key),
        () => this.pending.delete(key),
      );
    }
    const joined = entry;
    return joined.result.then((value) => (joined.callers > 1 ? this.copy(value) : value));
  }

  /** Keys in flight now. */
  get size(): number {
    return this.pending.size;
  }

  /** Callers served by another caller's task so far. */
  get shared(): number {
    return this.sharedCount;
  }
}

import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection, type Db } from 'mongodb';

/** The collection holding one lease per outbox (per outbox collection of a database). */
export const outboxLeasesCollection = 'outbox_leases';

/** One term of an outbox's lease: terms only ever get added, each by one insert. */
interface LeaseDocument {
  /** `${outbox}#${term}`: the unique _id lets exactly one relay win each term. */
  _id: string;
  outbox: string;
  term: number;
  owner: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface OutboxLeaseOptions {
  /** How long a taken or renewed lease lasts. Default 30 000 ms. */
  readonly ttlMs?: number;
  /** Identifies this relay in the lease documents. Default: a new UUID. */
  readonly owner?: string;
  readonly now?: () => number;
}

/**
 * The right to publish one outbox's events, held by one relay at a time. (Any job that one instance
 * of a service must run at a time can hold one under a name of its own: the orders subgraph's
 * expiry sweep does.)
 *
 * Why terms rather than one document updated in place: FerretDB v1 applies an update by reading,
 * changing and writing back the document without isolation, so two relays could both "win" a
 * conditional update of an expired lease. An insert with a unique `_id` is atomic there as in
 * MongoDB: to take over term n (expired), a relay inserts term n + 1, and only one insert succeeds.
 * Only the owner of a term ever updates its document (to renew or release it).
 *
 * The holder trusts its lease until a third of the TTL before expiry (so clocks may disagree by
 * that much) and checks it before each event it publishes. Residual risk: a publish that started
 * in time but outlasts the rest of the lease (the broker stalls for over ttl/3) may overlap with
 * the next holder's first events: duplicates, never losses. Keep the TTL well above a publish's
 * longest retry time.
 */
export class OutboxLease {
  private readonly leases: Collection<LeaseDocument>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  readonly owner: string;
  private held: { term: number; expiresAt: number } | undefined;

  constructor(
    db: Db,
    private readonly outbox: string,
    options: OutboxLeaseOptions = {},
  ) {
    this.leases = db.collection<LeaseDocument>(outboxLeasesCollection);
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.owner = options.owner ?? randomUUID();
  }

  /** True while this relay may publish: its lease is held and not near expiry by its own clock. */
  holding(): boolean {
    return this.held !== undefined && this.now() < this.held.expiresAt - this.ttlMs / 3;
  }

  /** Takes the lease when free or expired, renews it when held; false when another relay holds it. */
  async acquire(): Promise<boolean> {
    if (this.holding() && this.held) {
      if (this.held.expiresAt - this.now() > this.ttlMs / 2) return true;
      if (await this.renew(this.held.term)) return true;
    }
    this.held = undefined;
    return this.takeOver();
  }

  /** Ends this relay's term at once, so that another relay need not wait for it to expire. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held)
      await this.leases.updateOne(
        { _id: this.idOf(held.term), owner: this.owner },
        { $set: { expiresAt: 0 } },
      );
  }

  private async renew(term: number): Promise<boolean> {
    const expiresAt = this.now() + this.ttlMs;
    const result = await this.leases.updateOne(
      { _id: this.idOf(term), owner: this.owner },
      { $set: { expiresAt } },
    );
    if (result.matchedCount === 0 || (await this.newerTermExists(term))) return false;
    this.held = { term, expiresAt };
    return true;
  }

  private async takeOver(): Promise<boolean> {
    const startedAt = this.now();
    const [latest] = await this.leases.find({ outbox: this.outbox }).sort({ term: -1 }).limit(1).toArray();
    if (latest && latest.expiresAt > startedAt) return false;
    const term = (latest?.term ?? 0) + 1;
    const expiresAt = startedAt + this.ttlMs;
    try {
      await this.leases.insertOne({
        _id: this.idOf(term),
        outbox: this.outbox,
        term,
        owner: this.owner,
        expiresAt,
      });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
    // A read that lagged two whole terms behind could insert a term already cleaned up: give it back.
    if (await this.newerTermExists(term)) {
      await this.leases.deleteOne({ _id: this.idOf(term), owner: this.owner });
      return false;
    }
    this.held = { term, expiresAt };
    // Keep the previous term (it stops a lagging contender, see above); older ones are history.
    await this.leases.deleteMany({ outbox: this.outbox, term: { $lt: term - 1 } });
    return true;
  }

  private async newerTermExists(term: number): Promise<boolean> {
    return (await this.leases.countDocuments({ outbox: this.outbox, term: { $gt: term } }, { limit: 1 })) > 0;
  }

  private idOf(term: number): string {
    return `${this.outbox}#${term}`;
  }
}

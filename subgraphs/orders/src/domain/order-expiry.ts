import { randomUUID } from 'node:crypto';
import type { Logger } from '@commerce/common/logger';
import { changeOrder } from './change-order.js';
import { statusChangeEvents } from './events.js';
import { paymentInProgress, withStatus } from './lifecycle.js';
import { isOpen, type Order } from './order.js';
import type { Lease, OrderStore } from './ports.js';

export interface OrderExpiryDeps {
  readonly orders: OrderStore;
  /** Held by one instance at a time: only its holder sweeps (MongoDB: a lease document; embedded: always held). */
  readonly lease: Lease;
  readonly eventsStored: () => void;
  readonly logger: Logger;
  /** Between sweeps. */
  readonly intervalMs: number;
  readonly now?: () => Date;
}

/** Orders looked at per query of a sweep. */
const batchSize = 100;

/** The sweep interval for a payment TTL: a quarter of it, between 0.5 s and 10 s. */
export function sweepIntervalMs(paymentTtlSeconds: number): number {
  return Math.min(10_000, Math.max(500, (paymentTtlSeconds * 1000) / 4));
}

function overdue(order: Order, now: Date): boolean {
  return isOpen(order.status) && order.paymentDueAt !== null && order.paymentDueAt.getTime() <= now.getTime();
}

/** How the history names an expiry: the time the order had, as it was given at placement. */
function expiryReason(order: Order): string {
  const dueAt = order.paymentDueAt ?? order.createdAt;
  return `not paid within ${Math.round((dueAt.getTime() - order.createdAt.getTime()) / 1000)} s`;
}

/**
 * The expiry of unpaid orders: every sweep, an open (PENDING or CONFIRMED) order past its
 * paymentDueAt becomes EXPIRED with order.status_changed, on which inventory releases its stock.
 * Exactly once: only the lease's holder sweeps, and each expiry is a write conditional on the order
 * as read (a payment or cancellation that won the race stays; an order being paid is left for a
 * later sweep).
 */
export class OrderExpiry {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: OrderExpiryDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** One sweep, if this instance holds the lease: how many orders it expired. */
  async sweep(): Promise<number> {
    if (!(await this.deps.lease.acquire())) return 0;
    let expired = 0;
    for (;;) {
      const now = this.now();
      const due = await this.deps.orders.findOverdue(now, batchSize);
      let expiredNow = 0;
      for (const order of due) if (await this.expire(order.id, now)) expiredNow += 1;
      expired += expiredNow;
      // A full batch that expired nothing (all being paid) would come back the same: next sweep.
      if (due.length < batchSize || expiredNow === 0) break;
    }
    if (expired > 0) this.deps.eventsStored();
    return expired;
  }

  /** Sweeps now, then every intervalMs until stop(). A failed sweep is logged and the next one tries again. */
  start(): void {
    const tick = (): void => {
      this.running = this.sweep()
        .then((expired) => {
          if (expired > 0) this.deps.logger.info({ expired }, 'unpaid orders expired');
        })
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'order expiry sweep failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.deps.intervalMs);
        });
    };
    tick();
  }

  /** Stops sweeping after the sweep in progress, and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.deps.lease.release().catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'order expiry lease not released');
    });
  }

  private async expire(orderId: string, now: Date): Promise<boolean> {
    const origin = { source: 'orders', correlationId: randomUUID() };
    const { written } = await changeOrder(this.deps.orders, orderId, (before) => {
      if (!before || !overdue(before, now) || paymentInProgress(before, now)) return { unchanged: before };
      const after = withStatus(before, 'EXPIRED', now, expiryReason(before));
      return { after, events: statusChangeEvents(before, after, origin, now) };
    });
    return written;
  }
}

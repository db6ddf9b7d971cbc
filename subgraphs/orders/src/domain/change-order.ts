import { AppError } from '@commerce/common/errors';
import type { OutgoingEvent } from '@commerce/common/events';
import type { Order } from './order.js';
import type { OrderStore } from './ports.js';

/** What to do with an order as read: write `after` with its events, or leave it as it is. */
export type Decision =
  | { readonly after: Order; readonly events: readonly OutgoingEvent[] }
  | { readonly unchanged: Order | undefined };

export interface ChangeOutcome {
  /** The order as written, or as read when nothing was written (undefined: no such order). */
  readonly order: Order | undefined;
  readonly written: boolean;
}

/** How often a change is decided again when another write to the same order won the race. */
const maxAttempts = 5;

/**
 * Reads the order, lets `decide` choose (or throw a refusal), and writes conditionally on the order
 * read. When another write won meanwhile (or `causedByEventId` turns out processed already), reads
 * again and decides again. After maxAttempts lost races: CONFLICT, retriable when the change is
 * caused by a consumed event (the consumer tries again later).
 */
export async function changeOrder(
  orders: OrderStore,
  orderId: string,
  decide: (order: Order | undefined) => Decision | Promise<Decision>,
  causedByEventId?: string,
): Promise<ChangeOutcome> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const [before] = await orders.findByIds([orderId]);
    const decision = await decide(before);
    if ('unchanged' in decision) return { order: decision.unchanged, written: false };
    if (!before) throw new Error(`A change of order ${orderId} was decided without reading it`);
    const written = await orders.update({
      before,
      after: decision.after,
      events: decision.events,
      ...(causedByEventId === undefined ? {} : { causedByEventId }),
    });
    if (written) return { order: written, written: true };
  }
  throw new AppError(
    'CONFLICT',
    `Order ${orderId} is being changed concurrently; try again`,
    causedByEventId !== undefined,
  );
}

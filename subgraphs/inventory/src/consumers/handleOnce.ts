import type { Envelope, Handler } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { InventoryStore, InventoryTransaction } from '../domain/ports.js';

/** What every inventory consumer needs. */
export interface ConsumerDeps {
  readonly store: InventoryStore;
  /** The name processed event ids are kept under (the consumer group). */
  readonly consumer: string;
  readonly logger: Logger;
  /** Wakes the outbox relay after a handler committed events. */
  readonly notify: () => void;
}

/**
 * A handler that applies `effect` at most once per eventId: the processed mark, the effect and
 * the events it enqueues commit in one transaction. A redelivery finds the mark and does nothing.
 */
export function handleOnce<P>(
  deps: ConsumerDeps,
  topic: string,
  effect: (tx: InventoryTransaction, event: Envelope<P>) => Promise<string>,
): Handler<P> {
  const log = deps.logger.child({ consumer: deps.consumer, topic });
  return async (event) => {
    const { eventId, correlationId } = event.metadata;
    const outcome = await deps.store.transaction(async (tx) =>
      (await tx.markProcessed(deps.consumer, eventId)) ? effect(tx, event) : 'duplicate',
    );
    log.debug({ eventId, correlationId, outcome }, 'event handled');
    deps.notify();
  };
}

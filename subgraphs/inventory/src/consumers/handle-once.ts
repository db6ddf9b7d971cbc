import { causedBy, type EventOrigin, type Envelope, type Handler } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { HandledEvent, StockService } from '../domain/stock-service.js';

/** What every inventory consumer needs. */
export interface ConsumerDeps {
  readonly stock: StockService;
  /** The name processed event ids are kept under (the consumer group). */
  readonly consumer: string;
  readonly logger: Logger;
}

/**
 * A handler that applies `effect` at most once per eventId (the use case records the event as
 * processed in the transaction of its effect; a redelivery finds the mark and does nothing), with
 * the events it causes carrying the event's correlation.
 */
export function handleOnce<P>(
  deps: ConsumerDeps,
  topic: string,
  effect: (event: Envelope<P>, origin: EventOrigin, handled: HandledEvent) => Promise<string>,
): Handler<P> {
  const log = deps.logger.child({ consumer: deps.consumer, topic });
  return async (event) => {
    const { eventId, correlationId } = event.metadata;
    const outcome = await effect(event, causedBy(event, 'inventory'), { consumer: deps.consumer, eventId });
    if (outcome === 'late')
      log.info(
        { eventId, correlationId, outcome },
        'late event: its order had already ended, nothing changed',
      );
    else log.debug({ eventId, correlationId, outcome }, 'event handled');
  };
}

import type { Handler, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { InventoryOutcomes } from '../domain/inventory-outcomes.js';
import { logInventoryOutcome } from './inventory-outcome-log.js';

/** inventory.reservation_failed: the PENDING order becomes REJECTED (once), publishing order.status_changed. */
export function onInventoryReservationFailed(deps: {
  readonly outcomes: InventoryOutcomes;
  readonly logger: Logger;
}): Handler<Topics['inventory.reservation_failed']> {
  return async (event) => logInventoryOutcome(deps.logger, event, await deps.outcomes.reject(event));
}

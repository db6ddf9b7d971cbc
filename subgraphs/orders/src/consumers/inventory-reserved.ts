import type { Handler, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { InventoryOutcomes } from '../domain/inventory-outcomes.js';
import { logInventoryOutcome } from './inventory-outcome-log.js';

/** inventory.reserved: the PENDING order becomes CONFIRMED (once), publishing order.status_changed. */
export function onInventoryReserved(deps: {
  readonly outcomes: InventoryOutcomes;
  readonly logger: Logger;
}): Handler<Topics['inventory.reserved']> {
  return async (event) => logInventoryOutcome(deps.logger, event, await deps.outcomes.confirm(event));
}

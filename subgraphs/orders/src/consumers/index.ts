import { consumer, type Consumer } from '@commerce/common/events';
import type { InventoryOutcomes } from '../domain/inventory-outcomes.js';
import type { CatalogCopyDeps } from './catalog-copy.js';
import { onInventoryReservationFailed } from './inventory-reservation-failed.js';
import { onInventoryReserved } from './inventory-reserved.js';
import { onProductCreated } from './product-created.js';
import { onProductDeleted } from './product-deleted.js';
import { onProductUpdated } from './product-updated.js';
import { onStockUpdated } from './stock-updated.js';

export interface ConsumerDeps extends CatalogCopyDeps {
  readonly outcomes: InventoryOutcomes;
}

/**
 * The orders subgraph's event handlers: product and stock events keep its catalog copy; inventory's
 * answer to a placement confirms or rejects the order. Subscribe them with subscribeAll.
 */
export function consumers(deps: ConsumerDeps): Consumer[] {
  const handlerDeps = { ...deps, logger: deps.logger.child({ component: 'consumers' }) };
  return [
    consumer('product.created', onProductCreated(handlerDeps)),
    consumer('product.updated', onProductUpdated(handlerDeps)),
    consumer('product.deleted', onProductDeleted(handlerDeps)),
    consumer('stock.updated', onStockUpdated(handlerDeps)),
    consumer('inventory.reserved', onInventoryReserved(handlerDeps)),
    consumer('inventory.reservation_failed', onInventoryReservationFailed(handlerDeps)),
  ];
}

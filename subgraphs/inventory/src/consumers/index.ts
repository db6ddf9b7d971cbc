import { consumer, type Consumer } from '@commerce/common/events';
import type { ConsumerDeps } from './handle-once.js';
import { onOrderCancelled } from './order-cancelled.js';
import { onOrderPlaced } from './order-placed.js';
import { onOrderStatusChanged } from './order-status-changed.js';
import { onProductCreated } from './product-created.js';
import { onProductDeleted } from './product-deleted.js';

export type { ConsumerDeps } from './handle-once.js';

/** Every inventory consumer: product events create (and keep) stock rows, order events move stock. */
export function consumers(deps: ConsumerDeps): Consumer[] {
  return [
    consumer('product.created', onProductCreated(deps)),
    consumer('product.deleted', onProductDeleted(deps)),
    consumer('order.placed', onOrderPlaced(deps)),
    consumer('order.cancelled', onOrderCancelled(deps)),
    consumer('order.status_changed', onOrderStatusChanged(deps)),
  ];
}

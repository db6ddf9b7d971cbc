import type { EventBus, Topics } from '@commerce/common/events';
import type { ConsumerDeps } from './handleOnce.js';
import { orderCancelledHandler } from './orderCancelled.js';
import { orderPlacedHandler } from './orderPlaced.js';
import { orderStatusChangedHandler } from './orderStatusChanged.js';
import { productCreatedHandler } from './productCreated.js';
import { productDeletedHandler } from './productDeleted.js';

export type { ConsumerDeps } from './handleOnce.js';

/**
 * Subscribes every inventory consumer under `group` (from the beginning: nothing published before
 * the first start is missed). Resolves with a function that unsubscribes them all, each after the
 * message in hand.
 */
export async function subscribeConsumers(
  bus: EventBus<Topics>,
  group: string,
  deps: ConsumerDeps,
): Promise<() => Promise<void>> {
  const options = { fromBeginning: true };
  // In parallel: with Kafka every subscription joins the group, and each join is a rebalance.
  const results = await Promise.allSettled([
    bus.subscribe('product.created', group, productCreatedHandler(deps), options),
    bus.subscribe('product.deleted', group, productDeletedHandler(deps), options),
    bus.subscribe('order.placed', group, orderPlacedHandler(deps), options),
    bus.subscribe('order.cancelled', group, orderCancelledHandler(deps), options),
    bus.subscribe('order.status_changed', group, orderStatusChangedHandler(deps), options),
  ]);
  const unsubscribes = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.allSettled(unsubscribes.map((unsubscribe) => unsubscribe()));
    throw failure.reason;
  }
  return async () => {
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  };
}

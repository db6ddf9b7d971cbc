import type { EventBus, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { OrdersService } from '../domain/orders-service.js';
import type { CatalogWriter } from '../domain/ports.js';
import { onProductChanged, onProductDeleted, onStockUpdated } from './catalog-consumers.js';
import { onReservationFailed } from './reservation-failed.js';

export interface ConsumerDeps {
  readonly bus: EventBus<Topics>;
  readonly group: string;
  readonly catalog: CatalogWriter;
  readonly service: OrdersService;
  readonly logger: Logger;
}

/** Subscribes every handler of the orders subgraph; resolves with one function that unsubscribes them all. */
export async function startConsumers(deps: ConsumerDeps): Promise<() => Promise<void>> {
  const { bus, group, catalog, service } = deps;
  const logger = deps.logger.child({ component: 'consumers' });
  const options = { fromBeginning: true };
  const productChanged = onProductChanged(catalog, logger);
  const subscriptions = [
    () => bus.subscribe('product.created', group, productChanged, options),
    () => bus.subscribe('product.updated', group, productChanged, options),
    () => bus.subscribe('product.deleted', group, onProductDeleted(catalog, logger), options),
    () => bus.subscribe('stock.updated', group, onStockUpdated(catalog, logger), options),
    () => bus.subscribe('inventory.reservation_failed', group, onReservationFailed(service, logger), options),
  ];
  const unsubscribes: (() => Promise<void>)[] = [];
  try {
    for (const subscribe of subscriptions) unsubscribes.push(await subscribe());
  } catch (error) {
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
    throw error;
  }
  return async () => {
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  };
}

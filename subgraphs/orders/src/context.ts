import type { RequestContext } from '@commerce/common/server';
import type { OrdersService } from './domain/orders-service.js';
import type { Payments } from './domain/payments.js';
import type { OrderStore } from './domain/ports.js';
import { createLoaders, type OrdersLoaders } from './loaders.js';

/** The context of one GraphQL request to the orders subgraph. */
export interface Context extends RequestContext {
  readonly loaders: OrdersLoaders;
  readonly service: OrdersService;
  readonly payments: Payments;
}

export interface ContextDeps {
  readonly service: OrdersService;
  readonly payments: Payments;
  readonly orders: OrderStore;
}

/** Each request's context: the base (verified viewer, correlation, event origin) and fresh DataLoaders. */
export function createContext(base: RequestContext, deps: ContextDeps): Context {
  return { ...base, loaders: createLoaders(deps.orders), service: deps.service, payments: deps.payments };
}

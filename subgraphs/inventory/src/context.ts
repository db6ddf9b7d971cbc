import type { RequestContext } from '@commerce/common/server';
import type { InventoryStore } from './domain/ports.js';
import type { StockService } from './domain/stock-service.js';
import { createLoaders, type Loaders } from './loaders.js';

/** The context of one GraphQL request. */
export interface Context extends RequestContext {
  readonly loaders: Loaders;
  readonly stock: StockService;
}

export interface ContextDeps {
  /** What the loaders read stock rows from. */
  readonly store: InventoryStore;
  readonly stock: StockService;
}

/** Each request's context: the base (viewer, correlation, event origin), fresh loaders, the use cases. */
export function createContext(base: RequestContext, deps: ContextDeps): Context {
  return { ...base, loaders: createLoaders(deps.store), stock: deps.stock };
}

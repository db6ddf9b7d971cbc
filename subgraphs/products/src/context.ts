import type { RequestContext } from '@commerce/common/server';
import type { Catalog } from './domain/catalog.js';
import type { ProductStore } from './domain/ports.js';
import { createLoaders, type ProductsLoaders } from './loaders.js';

/** The context of one GraphQL request to the products subgraph. */
export interface Context extends RequestContext {
  readonly catalog: Catalog;
  readonly loaders: ProductsLoaders;
}

/** What every request's context is built from. */
export interface ContextDeps {
  readonly catalog: Catalog;
  readonly store: ProductStore;
}

/** Adds the use cases and the request's own DataLoaders to the base (auth, correlation, origin) context. */
export function createContext(base: RequestContext, deps: ContextDeps): Context {
  return { ...base, catalog: deps.catalog, loaders: createLoaders(deps.store) };
}

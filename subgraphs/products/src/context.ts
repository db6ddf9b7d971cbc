import DataLoader from 'dataloader';
import type { RequestContext } from '@commerce/common/server';
import type { Catalog } from './domain/catalog.js';
import type { ProductModel } from './domain/product.js';
import type { ProductStore } from './ports.js';

/** The context of one GraphQL request to the products subgraph. */
export interface Context extends RequestContext {
  readonly catalog: Catalog;
  /** Products by id, deleted ones included; one store query per batch, fresh per request. */
  readonly productById: DataLoader<string, ProductModel | null>;
}

/** Adds the request's own DataLoaders and the use cases to the base (auth, correlation, logger) context. */
export function createContext(
  base: RequestContext,
  deps: { readonly catalog: Catalog; readonly store: ProductStore },
): Context {
  return { ...base, catalog: deps.catalog, productById: productLoader(deps.store) };
}

function productLoader(store: ProductStore): DataLoader<string, ProductModel | null> {
  return new DataLoader(async (ids: readonly string[]) => {
    const found = new Map((await store.findByIds(ids)).map((product) => [product.id, product]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

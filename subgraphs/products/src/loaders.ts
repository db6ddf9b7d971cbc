import DataLoader from 'dataloader';
import type { ProductStore } from './domain/ports.js';
import type { ProductModel } from './domain/product.js';

/** Per-request batching: one store query for every product looked up in a tick, cached for the request only. */
export interface ProductsLoaders {
  /** Products by id, deleted ones included (references from order history resolve them). */
  readonly productById: DataLoader<string, ProductModel | null>;
}

export function createLoaders(store: ProductStore): ProductsLoaders {
  return {
    productById: new DataLoader(async (ids: readonly string[]) => {
      const found = new Map((await store.findByIds(ids)).map((product) => [product.id, product]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

import DataLoader from 'dataloader';
import type { InventoryStore } from './domain/ports.js';
import type { StockItem } from './domain/stock.js';

/** Per-request batch loaders: one query per batch of keys, results cached for the request only. */
export interface Loaders {
  /** A product's stock row, or null before its product.created event has been processed. */
  readonly stockByProductId: DataLoader<string, StockItem | null>;
}

export function createLoaders(store: InventoryStore): Loaders {
  return {
    stockByProductId: new DataLoader<string, StockItem | null>(async (productIds) => {
      const items = await store.findItems(productIds);
      const byId = new Map(items.map((item) => [item.productId, item]));
      return productIds.map((id) => byId.get(id) ?? null);
    }),
  };
}

import { stockIsLow } from '../domain/stock.js';
import type { InventoryItemResolvers } from '../generated/resolvers-types.js';

export const InventoryItem: InventoryItemResolvers = {
  lowStock: (item) => stockIsLow(item),
  updatedAt: (item) => item.updatedAt.toISOString(),
};

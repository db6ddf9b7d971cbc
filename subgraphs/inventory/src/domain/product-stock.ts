import type { EventOrigin } from '@commerce/common/events';
import { badInput, notFound, AppError } from '@commerce/common/errors';
import { stockChangeEvents } from './events.js';
import type { InventoryTransaction } from './ports.js';
import { changeStock, newStockItem, type StockItem } from './stock.js';

const maxStock = 2_147_483_647;

/**
 * product.created: the product's stock row (available = quantity), announced by stock.updated
 * (CREATED) and, when it starts low, inventory.low_stock. A second creation of the same id is ignored.
 */
export async function createProductStock(
  tx: InventoryTransaction,
  product: { readonly productId: string; readonly quantity: number; readonly reorderThreshold: number },
  origin: EventOrigin,
  now = new Date(),
): Promise<boolean> {
  const change = newStockItem(product.productId, product.quantity, product.reorderThreshold, now);
  if (!(await tx.insertItem(change.item))) return false;
  await tx.enqueue(stockChangeEvents(change, 'CREATED', null, origin));
  return true;
}

/**
 * adjustStock: adds `delta` (may be negative) to available stock. NOT_FOUND without a stock row,
 * INSUFFICIENT_STOCK when available would fall below zero.
 */
export async function adjustStock(
  tx: InventoryTransaction,
  adjustment: { readonly productId: string; readonly delta: number },
  origin: EventOrigin,
  now = new Date(),
): Promise<StockItem> {
  const { productId, delta } = adjustment;
  if (!Number.isSafeInteger(delta)) throw badInput('delta must be an integer', { delta });
  const item = (await tx.lockItems([productId])).get(productId);
  if (!item) throw notFound('Inventory item of product', productId);
  if (item.available + delta < 0) {
    throw new AppError(
      'INSUFFICIENT_STOCK',
      `Only ${item.available} of product ${productId} available`,
      false,
      {
        productId,
        available: item.available,
        delta,
      },
    );
  }
  // The column is a 32-bit integer, as is GraphQL's Int.
  if (item.available + delta > maxStock)
    throw badInput(`Available stock cannot exceed ${maxStock}`, { delta });
  const change = changeStock(item, { available: delta }, now);
  await tx.updateItems([change]);
  await tx.enqueue(stockChangeEvents(change, 'ADJUSTED', null, origin));
  return change.item;
}

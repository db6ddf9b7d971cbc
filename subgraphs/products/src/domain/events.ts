import { outgoingEvent, type EventOrigin, type OutgoingEvent, type Topics } from '@commerce/common/events';
import { centsToPrice, type NewProduct, type ProductModel } from './product.js';

/** product.created, keyed by the product id: the product and the stock settings inventory starts from. */
export function productCreated(
  product: ProductModel,
  stock: Pick<NewProduct, 'quantity' | 'reorderThreshold'>,
  origin: EventOrigin,
): OutgoingEvent {
  const payload: Topics['product.created'] = {
    ...productPayload(product),
    quantity: stock.quantity,
    reorderThreshold: stock.reorderThreshold,
  };
  return outgoingEvent('product.created', product.id, payload, origin);
}

/** product.updated, keyed by the product id: the full state after the change. */
export function productUpdated(product: ProductModel, origin: EventOrigin): OutgoingEvent {
  return outgoingEvent('product.updated', product.id, productPayload(product), origin);
}

/** product.deleted, keyed by the product id. */
export function productDeleted(productId: string, origin: EventOrigin): OutgoingEvent {
  return outgoingEvent('product.deleted', productId, { productId }, origin);
}

function productPayload(product: ProductModel): Topics['product.updated'] {
  return {
    productId: product.id,
    name: product.name,
    description: product.description,
    category: product.category,
    price: centsToPrice(product.priceCents),
  };
}

import { causedBy, type Handler, type Topics } from '@commerce/common/events';
import { createProductStock } from '../domain/productStock.js';
import { handleOnce, type ConsumerDeps } from './handleOnce.js';

/** product.created: creates the product's stock row and announces it. */
export function productCreatedHandler(deps: ConsumerDeps): Handler<Topics['product.created']> {
  return handleOnce(deps, 'product.created', async (tx, event) =>
    (await createProductStock(tx, event.payload, causedBy(event, 'inventory'))) ? 'created' : 'exists',
  );
}

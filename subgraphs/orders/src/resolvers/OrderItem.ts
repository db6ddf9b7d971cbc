import { fromCents } from '../domain/money.js';
import type { OrderItemResolvers } from '../generated/resolvers-types.js';

export const OrderItem: OrderItemResolvers = {
  product: (line) => ({ __typename: 'Product', id: line.productId }),
  unitPrice: (line) => fromCents(line.unitPriceCents),
};

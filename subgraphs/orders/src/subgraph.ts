import { fileURLToPath } from 'node:url';
import type { SubgraphDescriptor } from '@commerce/common/server';

/**
 * The orders subgraph: orders and the catalog copy they are priced from.
 *
 * Only types are imported statically: tools such as codegen and compose read the list of
 * descriptors and must not load drivers. `open` loads the subgraph's code.
 */
export const ordersSubgraph = {
  name: 'orders',
  port: 4004,
  sdlPath: fileURLToPath(new URL('../../../schema/orders.graphql', import.meta.url)),
  server: 'mongodb',
  signsTokens: false,
  // Paths are relative to src/generated/.
  codegenMappers: {
    Order: '../models.js#OrderModel',
    OrderItem: '../models.js#OrderItemModel',
    OrderStatusChange: '../models.js#OrderStatusChangeModel',
    Payment: '../models.js#PaymentModel',
    User: '../models.js#UserModel',
  },
  open: async (location) => (await import('./storage.js')).openOrdersStorage(location),
} satisfies SubgraphDescriptor<'orders'>;

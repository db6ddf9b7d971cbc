import { fileURLToPath } from 'node:url';
import type { SubgraphDescriptor } from '@commerce/common/server';

/**
 * The inventory subgraph: stock per product, reserved by order events, announced by stock events.
 *
 * Only types are imported statically: tools such as codegen and compose read the list of
 * descriptors and must not load drivers. `open` loads the subgraph's code.
 */
export const inventorySubgraph = {
  name: 'inventory',
  port: 4003,
  sdlPath: fileURLToPath(new URL('../../../schema/inventory.graphql', import.meta.url)),
  server: 'postgres',
  signsTokens: false,
  // Paths are relative to src/generated/.
  codegenMappers: {
    Product: '../models.js#ProductRef',
    InventoryItem: '../models.js#StockItem',
  },
  open: async (location) => (await import('./storage.js')).openInventoryStorage(location),
} satisfies SubgraphDescriptor<'inventory'>;

import { fileURLToPath } from 'node:url';
import type { SubgraphDescriptor } from '@commerce/common/server';

/**
 * The products subgraph: the catalog, written by admins, listed and searched by everyone.
 *
 * Only types are imported statically: tools such as codegen and compose read the list of
 * descriptors and must not load drivers. `open` loads the subgraph's code.
 */
export const productsSubgraph = {
  name: 'products',
  port: 4002,
  sdlPath: fileURLToPath(new URL('../../../schema/products.graphql', import.meta.url)),
  server: 'mongodb',
  signsTokens: false,
  // Paths are relative to src/generated/.
  codegenMappers: {
    Product: '../models.js#ProductModel',
    ProductConnection: '../models.js#ProductPage',
  },
  open: async (location) => (await import('./storage.js')).openProductsStorage(location),
} satisfies SubgraphDescriptor<'products'>;

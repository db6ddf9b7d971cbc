import type { Types } from '@graphql-codegen/plugin-helpers';

/** Resolver types of the inventory subgraph, generated from schema/inventory.graphql (see ../../codegen.ts). */
export const inventoryCodegen: Record<string, Types.ConfiguredOutput> = {
  'subgraphs/inventory/src/generated/resolvers-types.ts': {
    schema: 'schema/inventory.graphql',
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useIndexSignature: true,
      useTypeImports: true,
      enumsAsTypes: true,
      contextType: '../context.js#Context',
      scalars: { DateTime: 'string' },
      // Map GraphQL types to this subgraph's model types here, e.g. { Product: '../models.js#ProductModel' }.
      mappers: { Product: '../models.js#ProductRef', InventoryItem: '../models.js#StockItem' },
    },
  },
};

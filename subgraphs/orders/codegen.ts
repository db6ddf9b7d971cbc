import type { Types } from '@graphql-codegen/plugin-helpers';

/** Resolver types of the orders subgraph, generated from schema/orders.graphql (see ../../codegen.ts). */
export const ordersCodegen: Record<string, Types.ConfiguredOutput> = {
  'subgraphs/orders/src/generated/resolvers-types.ts': {
    schema: 'schema/orders.graphql',
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useIndexSignature: true,
      useTypeImports: true,
      enumsAsTypes: true,
      contextType: '../context.js#Context',
      scalars: { DateTime: 'string' },
      mappers: {
        Order: '../models.js#OrderModel',
        OrderItem: '../models.js#OrderItemModel',
        User: '../models.js#UserModel',
      },
    },
  },
};

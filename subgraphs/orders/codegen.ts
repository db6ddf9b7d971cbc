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
      // Map GraphQL types to this subgraph's model types here, e.g. { Product: '../models.js#ProductModel' }.
      mappers: {},
    },
  },
};

import type { Types } from '@graphql-codegen/plugin-helpers';

/** Resolver types of the products subgraph, generated from schema/products.graphql (see ../../codegen.ts). */
export const productsCodegen: Record<string, Types.ConfiguredOutput> = {
  'subgraphs/products/src/generated/resolvers-types.ts': {
    schema: 'schema/products.graphql',
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

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
      // GraphQL types resolved from domain models (integer cents, Date) by resolvers/.
      mappers: {
        Product: '../domain/product.js#ProductModel',
        ProductConnection: '../domain/catalog.js#ProductPage',
      },
    },
  },
};

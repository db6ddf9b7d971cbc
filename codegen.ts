import type { CodegenConfig } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { inventoryMappers } from './subgraphs/inventory/codegen.js';
import { ordersMappers } from './subgraphs/orders/codegen.js';
import { productsMappers } from './subgraphs/products/codegen.js';
import { usersMappers } from './subgraphs/users/codegen.js';

/**
 * `npm run codegen`: resolver types per subgraph (federation: true) from schema/<name>.graphql,
 * with the type mappers in subgraphs/<name>/codegen.ts, and the typed client (test/client/generated/:
 * `graphql()` and TypedDocumentNode operations) from the public API schema.
 */
/** Resolver types of one subgraph from schema/<name>.graphql, its types mapped to its models. */
function resolverTypes(
  name: string,
  mappers: Record<string, string>,
): Record<string, Types.ConfiguredOutput> {
  return {
    [`subgraphs/${name}/src/generated/resolvers-types.ts`]: {
      schema: `schema/${name}.graphql`,
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.js#Context',
        scalars: { DateTime: 'string' },
        mappers,
      },
    },
  };
}

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...resolverTypes('users', usersMappers),
    ...resolverTypes('products', productsMappers),
    ...resolverTypes('inventory', inventoryMappers),
    ...resolverTypes('orders', ordersMappers),
    'test/client/generated/': {
      schema: 'schema/api.graphql',
      documents: ['test/**/*.ts', 'scripts/**/*.ts', '!test/client/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // NodeNext resolution needs the .js extensions in the generated imports.
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
      },
    },
  },
};

export default config;

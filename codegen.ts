import type { CodegenConfig } from '@graphql-codegen/cli';
import { inventoryCodegen } from './subgraphs/inventory/codegen.js';
import { ordersCodegen } from './subgraphs/orders/codegen.js';
import { productsCodegen } from './subgraphs/products/codegen.js';
import { usersCodegen } from './subgraphs/users/codegen.js';

/**
 * `npm run codegen`: resolver types per subgraph (federation: true) from schema/<name>.graphql,
 * each configured in subgraphs/<name>/codegen.ts, and the typed client (test/client/generated/:
 * `graphql()` and TypedDocumentNode operations) from the public API schema.
 */
const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...usersCodegen,
    ...productsCodegen,
    ...inventoryCodegen,
    ...ordersCodegen,
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

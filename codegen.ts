import type { CodegenConfig } from '@graphql-codegen/cli';
import { inventoryCodegen } from './subgraphs/inventory/codegen.js';
import { ordersCodegen } from './subgraphs/orders/codegen.js';
import { productsCodegen } from './subgraphs/products/codegen.js';
import { usersCodegen } from './subgraphs/users/codegen.js';

/**
 * `npm run codegen`: resolver types per subgraph (federation: true) from schema/<name>.graphql,
 * each configured in subgraphs/<name>/codegen.ts.
 */
const config: CodegenConfig = {
  overwrite: true,
  hooks: { afterAllFileWrite: ['prettier --write'] },
  generates: {
    ...usersCodegen,
    ...productsCodegen,
    ...inventoryCodegen,
    ...ordersCodegen,
  },
};

export default config;

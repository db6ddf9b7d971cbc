/** How codegen maps the products subgraph's GraphQL types to its model types (see ../../codegen.ts). */
export const productsMappers: Record<string, string> = {
  Product: '../domain/product.js#ProductModel',
  ProductConnection: '../domain/catalog.js#ProductPage',
};

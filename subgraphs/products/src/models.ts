/** What Product resolvers receive: the domain product (money in integer cents). */
export type { ProductModel } from './domain/product.js';
/** What ProductConnection resolvers receive: one listing page with the query it answers. */
export type { ProductPage } from './domain/catalog.js';

import type { Resolvers } from '../generated/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { ProductConnection } from './ProductConnection.js';
import { Query } from './Query.js';

/** Every resolver of the products subgraph. */
export const resolvers: Resolvers = { Query, Mutation, Product, ProductConnection };

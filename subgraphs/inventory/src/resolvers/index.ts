import type { Resolvers } from '../generated/resolvers-types.js';
import { InventoryItem } from './InventoryItem.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { Query } from './Query.js';

/** Every resolver of the inventory subgraph. */
export const resolvers: Resolvers = { Query, Mutation, Product, InventoryItem };

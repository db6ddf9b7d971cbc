import type { Resolvers } from '../generated/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { OrderItem } from './OrderItem.js';
import { OrderStatusChange } from './OrderStatusChange.js';
import { Payment } from './Payment.js';
import { Query } from './Query.js';
import { User } from './User.js';

/** Every resolver of the orders subgraph. */
export const resolvers: Resolvers = { Query, Mutation, Order, OrderItem, OrderStatusChange, Payment, User };

import type { Order, OrderLine, OrderStatusChange, Payment } from './domain/order.js';

/** What Order resolvers receive: the domain order (money in cents). */
export type OrderModel = Order;
/** What OrderItem resolvers receive: a priced order line. */
export type OrderItemModel = OrderLine;
/** What User resolvers receive: only the id (users own everything else about a user). */
export interface UserModel {
  readonly id: string;
}
/** What OrderStatusChange resolvers receive: one step of the history. */
export type OrderStatusChangeModel = OrderStatusChange;
/** What Payment resolvers receive: a charge the provider answered (money in cents). */
export type PaymentModel = Payment;

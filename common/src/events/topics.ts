import { z } from 'zod';

const id = z.string().min(1);
const money = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();
const isoDate = z.iso.datetime({ offset: true });
/** The states of an order, as its events name them (the lifecycle is the orders subgraph's). */
export const orderStatuses = [
  'PENDING',
  'CONFIRMED',
  'PAID',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
] as const;
const orderStatus = z.enum(orderStatuses);
const orderLine = z.object({ productId: id, quantity: z.number().int().positive() });
/** The order's version after the change the event reports (1 when placed, +1 per change). */
const orderVersion = z.number().int().positive();
/** The stock row's version after the change the event reports (1 when created, +1 per change). */
const stockVersion = z.number().int().positive();
const payment = {
  orderId: id,
  userId: id,
  paymentId: id,
  amount: money,
  method: z.enum(['CARD']),
  version: orderVersion,
};

/** One payload schema per topic (all at eventVersion 1). The Kafka key is the aggregate id noted here. */
export const topicSchemas = {
  /** key: userId */
  'user.created': z.object({
    userId: id,
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(['ADMIN', 'CUSTOMER']),
  }),
  /** key: productId */
  'product.created': z.object({
    productId: id,
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    price: money,
    quantity: count,
    reorderThreshold: count,
  }),
  /** key: productId; the product's state after the change */
  'product.updated': z.object({
    productId: id,
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    price: money,
  }),
  /** key: productId */
  'product.deleted': z.object({ productId: id }),
  /** key: productId; the stock after the change */
  'stock.updated': z.object({
    productId: id,
    available: count,
    reserved: count,
    reorderThreshold: count,
    lowStock: z.boolean(),
    reason: z.enum(['CREATED', 'RESERVED', 'RELEASED', 'CONSUMED', 'ADJUSTED']),
    orderId: id.nullable(),
    updatedAt: isoDate,
    version: stockVersion,
  }),
  /** key: productId; raised when stock crosses into a level, not on every change */
  'inventory.low_stock': z.object({
    productId: id,
    available: count,
    reorderThreshold: count,
    priority: z.enum(['MEDIUM', 'HIGH', 'CRITICAL']),
    /** The version of the change that crossed into the level (inventory always sets it; optional for older alerts). */
    version: stockVersion.optional(),
  }),
  /** key: orderId; every line of the order is reserved */
  'inventory.reserved': z.object({ orderId: id, items: z.array(orderLine).min(1) }),
  /** key: orderId */
  'inventory.reservation_failed': z.object({
    orderId: id,
    reason: z.string(),
    items: z.array(z.object({ productId: id, requested: count, available: count })),
  }),
  /** key: orderId */
  'order.placed': z.object({
    orderId: id,
    userId: id,
    items: z.array(orderLine.extend({ unitPrice: money })).min(1),
    total: money,
    createdAt: isoDate,
    version: orderVersion,
  }),
  /** key: orderId */
  'order.status_changed': z.object({
    orderId: id,
    userId: id,
    previousStatus: orderStatus,
    status: orderStatus,
    /** Why, as the order's history records it (e.g. "stock reserved", "not paid within 900 s"). */
    reason: z.string(),
    items: z.array(orderLine),
    version: orderVersion,
  }),
  /** key: orderId */
  'order.cancelled': z.object({
    orderId: id,
    userId: id,
    items: z.array(orderLine),
    version: orderVersion,
  }),
  /** key: orderId; the provider charged the order's total */
  'payment.succeeded': z.object(payment),
  /** key: orderId; the provider refused the charge, the order stays CONFIRMED */
  'payment.failed': z.object({ ...payment, reason: z.string() }),
} as const;

export type TopicSchemas = typeof topicSchemas;
export type TopicName = keyof TopicSchemas;
/** Payload type per topic. */
export type Topics = { [T in TopicName]: z.infer<TopicSchemas[T]> };

export const topicNames = Object.keys(topicSchemas) as TopicName[];

export function isTopicName(value: string): value is TopicName {
  return Object.hasOwn(topicSchemas, value);
}

/** Dead letters of a topic (one per topic; the consumer group is in the dead letter's headers). */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

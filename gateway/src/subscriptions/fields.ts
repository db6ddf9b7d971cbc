import type { Role } from '@commerce/common/auth';
import type { Envelope, TopicName, Topics } from '@commerce/common/events';
import type { CarriedEntity } from './carried-entities.js';
import type { ViewerScope } from './scope.js';

/** Who may subscribe to a field: anyone, any signed-in viewer, or ADMIN only. */
export type FieldAccess = 'public' | 'viewer' | 'admin';

/** The Subscription fields of schema/subscriptions.graphql, the topic feeding each and its rules. */
export const subscriptionFields = {
  stockUpdated: { topic: 'stock.updated', access: 'public' },
  orderPlaced: { topic: 'order.placed', access: 'viewer' },
  orderStatusChanged: { topic: 'order.status_changed', access: 'viewer' },
  lowStockAlert: { topic: 'inventory.low_stock', access: 'admin' },
} as const satisfies Record<string, { topic: TopicName; access: FieldAccess }>;

export type SubscriptionField = keyof typeof subscriptionFields;

export const subscriptionFieldNames = Object.keys(subscriptionFields) as SubscriptionField[];

/** The topic feeding a field. */
export type FieldTopic<F extends SubscriptionField> = (typeof subscriptionFields)[F]['topic'];

export function isSubscriptionField(name: string): name is SubscriptionField {
  return Object.hasOwn(subscriptionFields, name);
}

/** One consumed event, tagged with the field it feeds (any field, or those given). */
export type FieldEvent<F extends SubscriptionField = SubscriptionField> = {
  [P in F]: { readonly field: P; readonly event: Envelope<Topics[FieldTopic<P>]> };
}[F];

/**
 * A record read from `field`'s topic, tagged with its field. The log is read per topic, typed by
 * TopicName; fields.ts is what pairs each field with its topic, hence the one cast here.
 */
export function fieldEventOf(field: SubscriptionField, event: Envelope<Topics[TopicName]>): FieldEvent {
  return { field, event } as FieldEvent;
}

/** Whether a viewer may open a subscription on `field`; the close code follows from the answer. */
export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden';

export function accessTo(field: SubscriptionField, viewer: { readonly role: Role } | null): AccessDecision {
  const access: FieldAccess = subscriptionFields[field].access;
  if (access === 'public') return 'allowed';
  if (viewer === null) return 'unauthenticated';
  return access === 'admin' && viewer.role !== 'ADMIN' ? 'forbidden' : 'allowed';
}

/**
 * The event shaped as the result of the query plan's primary fetch to the `subscriptions` subgraph:
 * the root field's object with entity references (`__typename` + key) for the owning subgraphs.
 */
export function primaryRootValue(input: FieldEvent): Record<string, unknown> {
  switch (input.field) {
    case 'stockUpdated': {
      const { productId, available, reserved, lowStock, reason, updatedAt, version } = input.event.payload;
      return {
        stockUpdated: {
          __typename: 'StockUpdate',
          productId,
          available,
          reserved,
          lowStock,
          reason,
          updatedAt,
          version,
          product: { __typename: 'Product', id: productId },
        },
      };
    }
    case 'orderPlaced':
      return { orderPlaced: { __typename: 'Order', id: input.event.payload.orderId } };
    case 'orderStatusChanged':
      return { orderStatusChanged: { __typename: 'Order', id: input.event.payload.orderId } };
    case 'lowStockAlert': {
      const { productId, available, reorderThreshold, priority } = input.event.payload;
      return {
        lowStockAlert: {
          __typename: 'LowStockAlert',
          productId,
          available,
          reorderThreshold,
          priority,
          raisedAt: input.event.metadata.occurredAt,
          product: { __typename: 'Product', id: productId },
        },
      };
    }
  }
}

/**
 * The entity whose whole state the event carries: a stock change is the product's stock row as the
 * inventory subgraph resolves `Product.inventory`, so executions need not ask it.
 */
export function carriedEntity(input: FieldEvent): CarriedEntity | undefined {
  if (input.field !== 'stockUpdated') return undefined;
  const { productId, available, reserved, reorderThreshold, lowStock, updatedAt, version } =
    input.event.payload;
  const inventory = {
    __typename: 'InventoryItem',
    productId,
    available,
    reserved,
    reorderThreshold,
    lowStock,
    updatedAt,
    version,
  };
  return {
    subgraph: 'inventory',
    typename: 'Product',
    id: productId,
    value: { __typename: 'Product', id: productId, inventory },
  };
}

/** Whether the event passes the subscription's arguments (`productId`, `orderId`; absent = all). */
export function matchesArguments(input: FieldEvent, args: Readonly<Record<string, unknown>>): boolean {
  switch (input.field) {
    case 'stockUpdated':
      return optionalEquals(args['productId'], input.event.payload.productId);
    case 'orderStatusChanged':
      return optionalEquals(args['orderId'], input.event.payload.orderId);
    case 'orderPlaced':
    case 'lowStockAlert':
      return true;
  }
}

/**
 * Whether viewers of `scope` may see the event, decided before any upstream fetch: orders go to
 * their owner and to ADMIN, low-stock alerts to ADMIN, stock changes to everyone.
 */
export function visibleTo(input: FieldEvent, scope: ViewerScope): boolean {
  switch (input.field) {
    case 'stockUpdated':
      return true;
    case 'lowStockAlert':
      return scope.kind === 'role' && scope.role === 'ADMIN';
    case 'orderPlaced':
    case 'orderStatusChanged':
      if (scope.kind === 'role') return scope.role === 'ADMIN';
      return scope.kind === 'user' && scope.userId === input.event.payload.userId;
  }
}

/**
 * Events a slow subscriber may skip in favour of a later one with the same key: only stock
 * (the latest state per product is all a client needs), never orders or alerts.
 */
export function coalesceKey(input: FieldEvent): string | undefined {
  return input.field === 'stockUpdated' ? input.event.payload.productId : undefined;
}

function optionalEquals(wanted: unknown, actual: string): boolean {
  return wanted === undefined || wanted === null || wanted === actual;
}

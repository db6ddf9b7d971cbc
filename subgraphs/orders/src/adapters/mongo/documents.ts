import type { PendingEvent } from '@commerce/common/mongo';
import {
  isOrderStatus,
  type CatalogProduct,
  type Order,
  type OrderLine,
  type OrderStatus,
  type OrderStatusChange,
  type Payment,
  type ShippingAddress,
} from '../../domain/order.js';

/** A document of the `orders` collection. */
export interface OrderDocument {
  _id: string;
  userId: string;
  items: OrderLine[];
  totalCents: number;
  status: OrderStatus;
  rejectionReason: string | null;
  shippingAddress: ShippingAddress;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  history: OrderStatusChange[];
  payments: Payment[];
  paymentDueAt: Date | null;
  paymentClaimedUntil: Date | null;
  pendingEvents: PendingEvent[];
  processedEventIds: string[];
}

/** The fields of an order that a change may write (what was ordered, by whom and where to, stays). */
export function changedFields(
  order: Order,
): Pick<
  OrderDocument,
  | 'status'
  | 'rejectionReason'
  | 'updatedAt'
  | 'version'
  | 'history'
  | 'payments'
  | 'paymentDueAt'
  | 'paymentClaimedUntil'
> {
  return {
    status: order.status,
    rejectionReason: order.rejectionReason,
    updatedAt: order.updatedAt,
    version: order.version,
    history: order.history.map((change) => ({ ...change })),
    payments: order.payments.map((payment) => ({ ...payment })),
    paymentDueAt: order.paymentDueAt,
    paymentClaimedUntil: order.paymentClaimedUntil,
  };
}

/** A new order's document, with the events of its placement. */
export function toOrderDocument(order: Order, pendingEvents: PendingEvent[]): OrderDocument {
  return {
    ...changedFields(order),
    _id: order.id,
    userId: order.userId,
    items: order.items.map((line) => ({ ...line })),
    totalCents: order.totalCents,
    shippingAddress: { ...order.shippingAddress },
    createdAt: order.createdAt,
    pendingEvents,
    processedEventIds: [],
  };
}

/**
 * A document of the `catalog` collection (_id = productId). Stock may arrive before the product
 * itself (different topics), so name and price stay null until a product event is applied.
 */
export interface CatalogDocument {
  _id: string;
  name: string | null;
  priceCents: number | null;
  deleted: boolean;
  available: number | null;
  reserved: number | null;
  /** version of the last stock.updated applied (the stock row's): older ones are ignored. */
  stockVersion: number | null;
  /** occurredAt of the last product.created/updated applied: older ones are ignored. */
  productEventAt: Date | null;
  processedEventIds: string[];
}

export class CorruptDocumentError extends Error {
  constructor(collection: string, id: unknown, field: string) {
    super(`Malformed ${collection} document ${String(id)}: ${field}`);
    this.name = 'CorruptDocumentError';
  }
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function reader(collection: string, doc: Fields) {
  const fail = (field: string): never => {
    throw new CorruptDocumentError(collection, doc['_id'], field);
  };
  return {
    fail,
    string: (value: unknown, field: string): string => (typeof value === 'string' ? value : fail(field)),
    nullableString: (value: unknown, field: string): string | null =>
      value === null || value === undefined ? null : typeof value === 'string' ? value : fail(field),
    int: (value: unknown, field: string): number => (isInt(value) ? value : fail(field)),
    nullableInt: (value: unknown, field: string): number | null =>
      value === null || value === undefined ? null : isInt(value) ? value : fail(field),
    date: (value: unknown, field: string): Date => (value instanceof Date ? value : fail(field)),
    nullableDate: (value: unknown, field: string): Date | null =>
      value === null || value === undefined ? null : value instanceof Date ? value : fail(field),
    list: (value: unknown, field: string): unknown[] => (Array.isArray(value) ? value : fail(field)),
    record: (value: unknown, field: string): Fields => (isFields(value) ? value : fail(field)),
  };
}

/**
 * Narrows a stored order document (pending events and processed ids are not read). Documents
 * written before versions, history, payments and expiry existed read as version 1 with an empty
 * history and no payments, and never expire.
 */
export function toOrder(value: unknown): Order {
  if (!isFields(value)) throw new CorruptDocumentError('orders', undefined, 'not a document');
  const read = reader('orders', value);
  const address = read.record(value['shippingAddress'], 'shippingAddress');
  const status = (raw: unknown, field: string): OrderStatus => (isOrderStatus(raw) ? raw : read.fail(field));
  return {
    id: read.string(value['_id'], '_id'),
    userId: read.string(value['userId'], 'userId'),
    items: read.list(value['items'], 'items').map((item: unknown, index) => {
      const line = read.record(item, `items.${index}`);
      return {
        productId: read.string(line['productId'], `items.${index}.productId`),
        productName: read.string(line['productName'], `items.${index}.productName`),
        quantity: read.int(line['quantity'], `items.${index}.quantity`),
        unitPriceCents: read.int(line['unitPriceCents'], `items.${index}.unitPriceCents`),
      };
    }),
    totalCents: read.int(value['totalCents'], 'totalCents'),
    status: status(value['status'], 'status'),
    rejectionReason: read.nullableString(value['rejectionReason'], 'rejectionReason'),
    shippingAddress: {
      line1: read.string(address['line1'], 'shippingAddress.line1'),
      line2: read.nullableString(address['line2'], 'shippingAddress.line2'),
      city: read.string(address['city'], 'shippingAddress.city'),
      state: read.string(address['state'], 'shippingAddress.state'),
      postalCode: read.string(address['postalCode'], 'shippingAddress.postalCode'),
      country: read.string(address['country'], 'shippingAddress.country'),
    },
    createdAt: read.date(value['createdAt'], 'createdAt'),
    updatedAt: read.date(value['updatedAt'], 'updatedAt'),
    version: read.nullableInt(value['version'], 'version') ?? 1,
    history: read.list(value['history'] ?? [], 'history').map((entry: unknown, index) => {
      const change = read.record(entry, `history.${index}`);
      return {
        status: status(change['status'], `history.${index}.status`),
        at: read.date(change['at'], `history.${index}.at`),
        reason: read.string(change['reason'], `history.${index}.reason`),
      };
    }),
    payments: read.list(value['payments'] ?? [], 'payments').map((entry: unknown, index) => {
      const payment = read.record(entry, `payments.${index}`);
      const paymentStatus = payment['status'];
      return {
        id: read.string(payment['id'], `payments.${index}.id`),
        amountCents: read.int(payment['amountCents'], `payments.${index}.amountCents`),
        method: payment['method'] === 'CARD' ? 'CARD' : read.fail(`payments.${index}.method`),
        status:
          paymentStatus === 'SUCCEEDED' || paymentStatus === 'FAILED'
            ? paymentStatus
            : read.fail(`payments.${index}.status`),
        failureReason: read.nullableString(payment['failureReason'], `payments.${index}.failureReason`),
        createdAt: read.date(payment['createdAt'], `payments.${index}.createdAt`),
      };
    }),
    paymentDueAt: read.nullableDate(value['paymentDueAt'], 'paymentDueAt'),
    paymentClaimedUntil: read.nullableDate(value['paymentClaimedUntil'], 'paymentClaimedUntil'),
  };
}

/** Narrows a catalog document; undefined while only its stock is known (no product event yet). */
export function toCatalogProduct(value: unknown): CatalogProduct | undefined {
  if (!isFields(value)) throw new CorruptDocumentError('catalog', undefined, 'not a document');
  const read = reader('catalog', value);
  const name = read.nullableString(value['name'], 'name');
  const priceCents = read.nullableInt(value['priceCents'], 'priceCents');
  if (name === null || priceCents === null) return undefined;
  return {
    productId: read.string(value['_id'], '_id'),
    name,
    priceCents,
    deleted: value['deleted'] === true,
    available: read.nullableInt(value['available'], 'available'),
    reserved: read.nullableInt(value['reserved'], 'reserved'),
  };
}

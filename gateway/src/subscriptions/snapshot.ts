import { GraphQLError, type ExecutionResult } from 'graphql';
import type { SubscriptionField } from './fields.js';

/** The current state of one entity, shaped as a primary result, and its version. */
export interface Snapshot {
  readonly rootValue: Record<string, unknown>;
  readonly version: number;
}

/** Sends one query to a subgraph on behalf of the subscriber (who the subgraph authorizes). */
export type SubgraphQuery = (
  subgraph: string,
  query: string,
  variables: Record<string, unknown>,
) => Promise<ExecutionResult>;

/** The fields that can start with the current state, and the argument naming the entity. */
export const snapshotArgument: Partial<Record<SubscriptionField, string>> = {
  stockUpdated: 'productId',
  orderStatusChanged: 'orderId',
};

const stockQuery = `query SubscriptionStockSnapshot($productId: ID!) {
  inventoryItem(productId: $productId) { productId available reserved lowStock updatedAt version }
}`;

const orderQuery = `query SubscriptionOrderSnapshot($id: ID!) { order(id: $id) { id version } }`;

interface StockRow {
  readonly productId: string;
  readonly available: number;
  readonly reserved: number;
  readonly lowStock: boolean;
  readonly updatedAt: string;
  readonly version: number;
}

/**
 * Reads the current state behind `initial: true` from the subgraph that owns it: the stock row from
 * inventory (a StockUpdate with reason SNAPSHOT), the order's version from orders (the rest of the
 * order resolves through the plan, as for events).
 */
export async function currentState(
  field: SubscriptionField,
  id: string,
  query: SubgraphQuery,
): Promise<Snapshot | GraphQLError> {
  if (field === 'stockUpdated') {
    const result = await query('inventory', stockQuery, { productId: id });
    const row = (result.data as { inventoryItem?: StockRow | null } | null)?.inventoryItem;
    if (!row) return firstError(result) ?? notFound(`No stock is known for product ${id}`);
    const { productId, available, reserved, lowStock, updatedAt, version } = row;
    return {
      version,
      rootValue: {
        stockUpdated: {
          __typename: 'StockUpdate',
          productId,
          available,
          reserved,
          lowStock,
          reason: 'SNAPSHOT',
          updatedAt,
          version,
          product: { __typename: 'Product', id: productId },
        },
      },
    };
  }
  if (field === 'orderStatusChanged') {
    const result = await query('orders', orderQuery, { id });
    const order = (result.data as { order?: { id: string; version: number } | null } | null)?.order;
    if (!order) return firstError(result) ?? notFound(`Order ${id} not found`);
    return {
      version: order.version,
      rootValue: { orderStatusChanged: { __typename: 'Order', id: order.id } },
    };
  }
  return new GraphQLError(`${field} has no initial state`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function firstError(result: ExecutionResult): GraphQLError | undefined {
  const error = result.errors?.[0];
  return (
    error &&
    new GraphQLError(error.message, { extensions: { code: 'INTERNAL_SERVER_ERROR', ...error.extensions } })
  );
}

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

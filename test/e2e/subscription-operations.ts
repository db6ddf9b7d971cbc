import { graphql } from '../client/generated/index.js';

/**
 * Subscription documents of the e2e suites and the subscription bench (typed by `npm run codegen`).
 * Each declares `$after: String` for its field's `after`: the typed client resumes a dropped
 * subscription by sending the last event's cursor there (test/client/resume.ts).
 */

export const StockUpdatedSubscription = graphql(`
  subscription StockUpdated($productId: ID, $after: String) {
    stockUpdated(productId: $productId, after: $after) {
      productId
      available
      reserved
      lowStock
      reason
      updatedAt
      product {
        id
        name
        price
        inventory {
          available
          reserved
        }
      }
    }
  }
`);

export const StockLevelSubscription = graphql(`
  subscription StockLevel($productId: ID, $after: String) {
    stockUpdated(productId: $productId, after: $after) {
      productId
      available
      reserved
    }
  }
`);

export const StockWithNameSubscription = graphql(`
  subscription StockWithName($productId: ID, $after: String) {
    stockUpdated(productId: $productId, after: $after) {
      available
      product {
        name
      }
    }
  }
`);

export const OrderPlacedSubscription = graphql(`
  subscription OrderPlaced($after: String) {
    orderPlaced(after: $after) {
      id
      status
      total
      user {
        id
        email
      }
      items {
        quantity
        product {
          id
          name
        }
      }
    }
  }
`);

export const OrderStatusChangedSubscription = graphql(`
  subscription OrderStatusChanged($orderId: ID, $after: String) {
    orderStatusChanged(orderId: $orderId, after: $after) {
      id
      status
      updatedAt
      history {
        status
        reason
      }
    }
  }
`);

export const LowStockAlertSubscription = graphql(`
  subscription LowStockAlert($after: String) {
    lowStockAlert(after: $after) {
      productId
      available
      reorderThreshold
      priority
      raisedAt
      product {
        id
        name
      }
    }
  }
`);

export const AdjustStockMutation = graphql(`
  mutation AdjustStock($productId: ID!, $delta: Int!, $reason: String) {
    adjustStock(productId: $productId, delta: $delta, reason: $reason) {
      productId
      available
      reserved
    }
  }
`);

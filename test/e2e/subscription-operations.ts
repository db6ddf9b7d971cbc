import { graphql } from '../client/generated/index.js';

/** Subscription documents of the e2e suites and the subscription bench (typed by `npm run codegen`). */

export const StockUpdatedSubscription = graphql(`
  subscription StockUpdated($productId: ID) {
    stockUpdated(productId: $productId) {
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
  subscription StockLevel($productId: ID) {
    stockUpdated(productId: $productId) {
      productId
      available
      reserved
    }
  }
`);

export const StockWithNameSubscription = graphql(`
  subscription StockWithName($productId: ID) {
    stockUpdated(productId: $productId) {
      available
      product {
        name
      }
    }
  }
`);

export const OrderPlacedSubscription = graphql(`
  subscription OrderPlaced {
    orderPlaced {
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
  subscription OrderStatusChanged($orderId: ID) {
    orderStatusChanged(orderId: $orderId) {
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
  subscription LowStockAlert {
    lowStockAlert {
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

import { graphql } from '../client/generated/index.js';

/** Subscription documents of the resume suite: every Subscription field takes `after`. */

export const StockResumeSubscription = graphql(`
  subscription StockResume($productId: ID, $after: String, $initial: Boolean) {
    stockUpdated(productId: $productId, after: $after, initial: $initial) {
      productId
      available
      reserved
      reason
    }
  }
`);

export const OrderPlacedResumeSubscription = graphql(`
  subscription OrderPlacedResume($after: String) {
    orderPlaced(after: $after) {
      id
      user {
        id
      }
    }
  }
`);

export const StockSnapshotSubscription = graphql(`
  subscription StockSnapshot($productId: ID, $initial: Boolean, $after: String) {
    stockUpdated(productId: $productId, initial: $initial, after: $after) {
      available
      reserved
      reason
      version
    }
  }
`);

export const InventoryVersionQuery = graphql(`
  query InventoryVersion($productId: ID!) {
    inventoryItem(productId: $productId) {
      available
      reserved
      version
    }
  }
`);

export const OrderStatusSnapshotSubscription = graphql(`
  subscription OrderStatusSnapshot($orderId: ID, $initial: Boolean, $after: String) {
    orderStatusChanged(orderId: $orderId, initial: $initial, after: $after) {
      id
      status
      version
    }
  }
`);

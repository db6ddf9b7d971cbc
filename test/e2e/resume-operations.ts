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

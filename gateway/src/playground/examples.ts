/** One GraphiQL tab the playground opens with (GraphiQL's `TabDefinition`). */
export interface PlaygroundTab {
  readonly query: string;
  /** JSON text shown in the variables editor. */
  readonly variables?: string;
}

const products = `# The catalog, with each product's stock (inventory subgraph).
# Run it: the button on the right, or Ctrl-Enter.
query Products {
  products(first: 20) {
    totalCount
    edges {
      node {
        id
        name
        category
        price
        inventory {
          available
          reserved
          lowStock
        }
      }
    }
  }
}
`;

const login = `# Easiest: sign in (or register) in the bar above: every tab, subscriptions
# included, then sends that token until you sign out (it refreshes itself).
# Or run Login here (Register below first) and put login.accessToken in
# Headers (below) of a tab: { "Authorization": "Bearer <accessToken>" }
# A tab's own Authorization header wins over the bar's sign-in.
mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken
    refreshToken
    expiresIn
    user {
      id
      email
      role
    }
  }
}

mutation Register($email: String!, $password: String!) {
  register(
    input: {
      email: $email
      password: $password
      firstName: "Example"
      lastName: "Customer"
    }
  ) {
    id
    email
    role
  }
}
`;

const me = `# Who am I? Needs a signed-in user (the bar above, or see Login).
query Me {
  me {
    id
    email
    firstName
    lastName
    role
    addresses {
      id
      line1
      city
      country
      isDefault
    }
  }
}
`;

const stockUpdated = `# Live stock over WebSocket (graphql-ws) until you stop it.
# Place an order, or adjust stock (AdjustStock tab), and watch. Each event's
# cursor shows above; { "after": "<cursor>" } in Variables resumes from there.
subscription StockUpdated($productId: ID, $after: String) {
  stockUpdated(productId: $productId, after: $after) {
    productId
    available
    reserved
    lowStock
    reason
    updatedAt
    product {
      name
      price
      inventory {
        available
        reserved
      }
    }
  }
}
`;

const placeOrder = `# As a customer (Authorization header, see Login): order a product.
# The order is PENDING until inventory reserves its stock: then CONFIRMED
# (watch it in the OrderStatusChanged tab), and payable (PayOrder tab).
mutation PlaceOrder($productId: ID!) {
  placeOrder(
    input: {
      items: [{ productId: $productId, quantity: 1 }]
      shippingAddress: {
        line1: "123 Example Street"
        city: "Example City"
        state: "EX"
        postalCode: "12345"
        country: "Example Country"
      }
    }
  ) {
    id
    status
    total
    paymentDueAt
  }
}

query MyOrders {
  orders {
    id
    status
    total
    paymentDueAt
    history {
      status
      at
      reason
    }
    payments {
      amount
      status
      failureReason
    }
  }
}
`;

const orderStatusChanged = `# Live status changes of your orders (CONFIRMED, PAID, EXPIRED, ...),
# or of one order with orderId. Needs the Authorization header.
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
`;

const payOrder = `# The owner pays a CONFIRMED order (sandbox cards: tok_visa succeeds,
# tok_chargeDeclined is declined, tok_processingError is an outage).
# Unpaid orders expire after ORDER_PAYMENT_TTL_SECONDS (15 min by default).
mutation PayOrder($orderId: ID!, $token: String!) {
  payOrder(orderId: $orderId, payment: { method: CARD, token: $token }) {
    id
    status
    total
    payments {
      amount
      status
      failureReason
      createdAt
    }
  }
}
`;

const adjustStock = `# ADMIN only: log in as the admin, set its token in Headers.
# Publishes stock.updated: a running StockUpdated tab shows it.
mutation AdjustStock($productId: ID!, $delta: Int!) {
  adjustStock(productId: $productId, delta: $delta, reason: "playground") {
    productId
    available
    reserved
    lowStock
  }
}
`;

/**
 * The walkthrough's operations, one tab each: products, log in, me, live stock, place an order,
 * live order status, pay, adjust stock.
 */
export const playgroundTabs: readonly PlaygroundTab[] = [
  { query: products },
  {
    query: login,
    variables: JSON.stringify({ email: 'customer@example.com', password: 'Password123' }, null, 2),
  },
  { query: me },
  { query: stockUpdated },
  { query: placeOrder, variables: JSON.stringify({ productId: '<product id>' }, null, 2) },
  { query: orderStatusChanged },
  {
    query: payOrder,
    variables: JSON.stringify({ orderId: '<order id>', token: 'tok_visa' }, null, 2),
  },
  { query: adjustStock, variables: JSON.stringify({ productId: '<product id>', delta: 5 }, null, 2) },
];

/** What a new tab ("+") starts with. */
export const newTabQuery = `# Ctrl-Space completes, Ctrl-Enter runs.
`;

import { graphql } from '../client/generated/index.js';

/** The operations the e2e suites send through the gateway (typed by `npm run codegen`). */

export const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      id
      email
      firstName
      lastName
      phone
      role
      isActive
      addresses {
        id
      }
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      tokenType
      expiresIn
      user {
        id
        email
        role
      }
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      firstName
      lastName
      phone
      role
      addresses {
        id
        line1
        line2
        city
        state
        postalCode
        country
        isDefault
      }
    }
  }
`);

export const AddAddressMutation = graphql(`
  mutation AddAddress($input: AddressInput!) {
    addAddress(input: $input) {
      id
      line1
      line2
      city
      state
      postalCode
      country
      isDefault
    }
  }
`);

export const CreateProductMutation = graphql(`
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      id
      name
      category
      price
    }
  }
`);

export const ProductsQuery = graphql(`
  query Products($filter: ProductFilter, $first: Int) {
    products(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          id
          name
          category
          price
        }
      }
    }
  }
`);

export const ProductInventoryQuery = graphql(`
  query ProductInventory($id: ID!) {
    product(id: $id) {
      id
      name
      inventory {
        available
        reserved
        reorderThreshold
        lowStock
      }
    }
  }
`);

export const PlaceOrderMutation = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      id
      status
      total
      items {
        quantity
        unitPrice
        product {
          id
        }
      }
    }
  }
`);

export const OrdersQuery = graphql(`
  query Orders {
    orders {
      id
      status
      total
      createdAt
    }
  }
`);

export const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      id
      status
      rejectionReason
      version
      paymentDueAt
      history {
        status
        at
        reason
      }
      payments {
        id
        amount
        method
        status
        failureReason
        createdAt
      }
      total
      user {
        id
        email
      }
      items {
        quantity
        unitPrice
        productName
        product {
          id
          name
        }
      }
      shippingAddress {
        line1
        line2
        city
        state
        postalCode
        country
      }
    }
  }
`);

export const UpdateOrderStatusMutation = graphql(`
  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {
    updateOrderStatus(id: $id, status: $status) {
      id
      status
    }
  }
`);

export const PayOrderMutation = graphql(`
  mutation PayOrder($orderId: ID!, $payment: PaymentInput!) {
    payOrder(orderId: $orderId, payment: $payment) {
      id
      status
      total
      version
      payments {
        id
        amount
        status
        failureReason
      }
      history {
        status
        reason
      }
    }
  }
`);

export const CancelOrderMutation = graphql(`
  mutation CancelOrder($id: ID!) {
    cancelOrder(id: $id) {
      id
      status
    }
  }
`);

export const OrdersWithInventoryQuery = graphql(`
  query OrdersWithInventory {
    orders {
      items {
        product {
          name
          inventory {
            available
          }
        }
      }
    }
  }
`);

/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      isActive\n      addresses {\n        id\n      }\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      addresses {\n        id\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n        isDefault\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      line1\n      line2\n      city\n      state\n      postalCode\n      country\n      isDefault\n    }\n  }\n": typeof types.AddAddressDocument,
    "\n  mutation CreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      category\n      price\n    }\n  }\n": typeof types.CreateProductDocument,
    "\n  query Products($filter: ProductFilter, $first: Int) {\n    products(filter: $filter, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          category\n          price\n        }\n      }\n    }\n  }\n": typeof types.ProductsDocument,
    "\n  query ProductInventory($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      inventory {\n        available\n        reserved\n        reorderThreshold\n        lowStock\n      }\n    }\n  }\n": typeof types.ProductInventoryDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      items {\n        quantity\n        unitPrice\n        product {\n          id\n        }\n      }\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  query Orders {\n    orders {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n": typeof types.OrdersDocument,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      rejectionReason\n      version\n      paymentDueAt\n      history {\n        status\n        at\n        reason\n      }\n      payments {\n        id\n        amount\n        method\n        status\n        failureReason\n        createdAt\n      }\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        unitPrice\n        productName\n        product {\n          id\n          name\n        }\n      }\n      shippingAddress {\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n      }\n    }\n  }\n": typeof types.OrderDocument,
    "\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrderStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": typeof types.UpdateOrderStatusDocument,
    "\n  mutation PayOrder($orderId: ID!, $payment: PaymentInput!) {\n    payOrder(orderId: $orderId, payment: $payment) {\n      id\n      status\n      total\n      version\n      payments {\n        id\n        amount\n        status\n        failureReason\n      }\n      history {\n        status\n        reason\n      }\n    }\n  }\n": typeof types.PayOrderDocument,
    "\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  query OrdersWithInventory {\n    orders {\n      items {\n        product {\n          name\n          inventory {\n            available\n          }\n        }\n      }\n    }\n  }\n": typeof types.OrdersWithInventoryDocument,
    "\n  subscription StockResume($productId: ID, $after: String, $initial: Boolean) {\n    stockUpdated(productId: $productId, after: $after, initial: $initial) {\n      productId\n      available\n      reserved\n      reason\n    }\n  }\n": typeof types.StockResumeDocument,
    "\n  subscription OrderPlacedResume($after: String) {\n    orderPlaced(after: $after) {\n      id\n      user {\n        id\n      }\n    }\n  }\n": typeof types.OrderPlacedResumeDocument,
    "\n  subscription StockSnapshot($productId: ID, $initial: Boolean, $after: String) {\n    stockUpdated(productId: $productId, initial: $initial, after: $after) {\n      available\n      reserved\n      reason\n      version\n    }\n  }\n": typeof types.StockSnapshotDocument,
    "\n  query InventoryVersion($productId: ID!) {\n    inventoryItem(productId: $productId) {\n      available\n      reserved\n      version\n    }\n  }\n": typeof types.InventoryVersionDocument,
    "\n  subscription OrderStatusSnapshot($orderId: ID, $initial: Boolean, $after: String) {\n    orderStatusChanged(orderId: $orderId, initial: $initial, after: $after) {\n      id\n      status\n      version\n    }\n  }\n": typeof types.OrderStatusSnapshotDocument,
    "\n  subscription StockUpdated($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n      lowStock\n      reason\n      updatedAt\n      product {\n        id\n        name\n        price\n        inventory {\n          available\n          reserved\n        }\n      }\n    }\n  }\n": typeof types.StockUpdatedDocument,
    "\n  subscription StockLevel($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n    }\n  }\n": typeof types.StockLevelDocument,
    "\n  subscription StockWithName($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      available\n      product {\n        name\n      }\n    }\n  }\n": typeof types.StockWithNameDocument,
    "\n  subscription OrderPlaced($after: String) {\n    orderPlaced(after: $after) {\n      id\n      status\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.OrderPlacedDocument,
    "\n  subscription OrderStatusChanged($orderId: ID, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      id\n      status\n      updatedAt\n      history {\n        status\n        reason\n      }\n    }\n  }\n": typeof types.OrderStatusChangedDocument,
    "\n  subscription LowStockAlert($after: String) {\n    lowStockAlert(after: $after) {\n      productId\n      available\n      reorderThreshold\n      priority\n      raisedAt\n      product {\n        id\n        name\n      }\n    }\n  }\n": typeof types.LowStockAlertDocument,
    "\n  mutation AdjustStock($productId: ID!, $delta: Int!, $reason: String) {\n    adjustStock(productId: $productId, delta: $delta, reason: $reason) {\n      productId\n      available\n      reserved\n    }\n  }\n": typeof types.AdjustStockDocument,
};
const documents: Documents = {
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      isActive\n      addresses {\n        id\n      }\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      addresses {\n        id\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n        isDefault\n      }\n    }\n  }\n": types.MeDocument,
    "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      line1\n      line2\n      city\n      state\n      postalCode\n      country\n      isDefault\n    }\n  }\n": types.AddAddressDocument,
    "\n  mutation CreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      category\n      price\n    }\n  }\n": types.CreateProductDocument,
    "\n  query Products($filter: ProductFilter, $first: Int) {\n    products(filter: $filter, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          category\n          price\n        }\n      }\n    }\n  }\n": types.ProductsDocument,
    "\n  query ProductInventory($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      inventory {\n        available\n        reserved\n        reorderThreshold\n        lowStock\n      }\n    }\n  }\n": types.ProductInventoryDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      items {\n        quantity\n        unitPrice\n        product {\n          id\n        }\n      }\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  query Orders {\n    orders {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n": types.OrdersDocument,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      rejectionReason\n      version\n      paymentDueAt\n      history {\n        status\n        at\n        reason\n      }\n      payments {\n        id\n        amount\n        method\n        status\n        failureReason\n        createdAt\n      }\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        unitPrice\n        productName\n        product {\n          id\n          name\n        }\n      }\n      shippingAddress {\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n      }\n    }\n  }\n": types.OrderDocument,
    "\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrderStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": types.UpdateOrderStatusDocument,
    "\n  mutation PayOrder($orderId: ID!, $payment: PaymentInput!) {\n    payOrder(orderId: $orderId, payment: $payment) {\n      id\n      status\n      total\n      version\n      payments {\n        id\n        amount\n        status\n        failureReason\n      }\n      history {\n        status\n        reason\n      }\n    }\n  }\n": types.PayOrderDocument,
    "\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelOrderDocument,
    "\n  query OrdersWithInventory {\n    orders {\n      items {\n        product {\n          name\n          inventory {\n            available\n          }\n        }\n      }\n    }\n  }\n": types.OrdersWithInventoryDocument,
    "\n  subscription StockResume($productId: ID, $after: String, $initial: Boolean) {\n    stockUpdated(productId: $productId, after: $after, initial: $initial) {\n      productId\n      available\n      reserved\n      reason\n    }\n  }\n": types.StockResumeDocument,
    "\n  subscription OrderPlacedResume($after: String) {\n    orderPlaced(after: $after) {\n      id\n      user {\n        id\n      }\n    }\n  }\n": types.OrderPlacedResumeDocument,
    "\n  subscription StockSnapshot($productId: ID, $initial: Boolean, $after: String) {\n    stockUpdated(productId: $productId, initial: $initial, after: $after) {\n      available\n      reserved\n      reason\n      version\n    }\n  }\n": types.StockSnapshotDocument,
    "\n  query InventoryVersion($productId: ID!) {\n    inventoryItem(productId: $productId) {\n      available\n      reserved\n      version\n    }\n  }\n": types.InventoryVersionDocument,
    "\n  subscription OrderStatusSnapshot($orderId: ID, $initial: Boolean, $after: String) {\n    orderStatusChanged(orderId: $orderId, initial: $initial, after: $after) {\n      id\n      status\n      version\n    }\n  }\n": types.OrderStatusSnapshotDocument,
    "\n  subscription StockUpdated($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n      lowStock\n      reason\n      updatedAt\n      product {\n        id\n        name\n        price\n        inventory {\n          available\n          reserved\n        }\n      }\n    }\n  }\n": types.StockUpdatedDocument,
    "\n  subscription StockLevel($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n    }\n  }\n": types.StockLevelDocument,
    "\n  subscription StockWithName($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      available\n      product {\n        name\n      }\n    }\n  }\n": types.StockWithNameDocument,
    "\n  subscription OrderPlaced($after: String) {\n    orderPlaced(after: $after) {\n      id\n      status\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.OrderPlacedDocument,
    "\n  subscription OrderStatusChanged($orderId: ID, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      id\n      status\n      updatedAt\n      history {\n        status\n        reason\n      }\n    }\n  }\n": types.OrderStatusChangedDocument,
    "\n  subscription LowStockAlert($after: String) {\n    lowStockAlert(after: $after) {\n      productId\n      available\n      reorderThreshold\n      priority\n      raisedAt\n      product {\n        id\n        name\n      }\n    }\n  }\n": types.LowStockAlertDocument,
    "\n  mutation AdjustStock($productId: ID!, $delta: Int!, $reason: String) {\n    adjustStock(productId: $productId, delta: $delta, reason: $reason) {\n      productId\n      available\n      reserved\n    }\n  }\n": types.AdjustStockDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      isActive\n      addresses {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      isActive\n      addresses {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      accessToken\n      refreshToken\n      tokenType\n      expiresIn\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      addresses {\n        id\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n        isDefault\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n      firstName\n      lastName\n      phone\n      role\n      addresses {\n        id\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n        isDefault\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      line1\n      line2\n      city\n      state\n      postalCode\n      country\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      line1\n      line2\n      city\n      state\n      postalCode\n      country\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      category\n      price\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n      name\n      category\n      price\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products($filter: ProductFilter, $first: Int) {\n    products(filter: $filter, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          category\n          price\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Products($filter: ProductFilter, $first: Int) {\n    products(filter: $filter, first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          category\n          price\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductInventory($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      inventory {\n        available\n        reserved\n        reorderThreshold\n        lowStock\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProductInventory($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      inventory {\n        available\n        reserved\n        reorderThreshold\n        lowStock\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      items {\n        quantity\n        unitPrice\n        product {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      items {\n        quantity\n        unitPrice\n        product {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Orders {\n    orders {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Orders {\n    orders {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      rejectionReason\n      version\n      paymentDueAt\n      history {\n        status\n        at\n        reason\n      }\n      payments {\n        id\n        amount\n        method\n        status\n        failureReason\n        createdAt\n      }\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        unitPrice\n        productName\n        product {\n          id\n          name\n        }\n      }\n      shippingAddress {\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n      }\n    }\n  }\n"): (typeof documents)["\n  query Order($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      rejectionReason\n      version\n      paymentDueAt\n      history {\n        status\n        at\n        reason\n      }\n      payments {\n        id\n        amount\n        method\n        status\n        failureReason\n        createdAt\n      }\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        unitPrice\n        productName\n        product {\n          id\n          name\n        }\n      }\n      shippingAddress {\n        line1\n        line2\n        city\n        state\n        postalCode\n        country\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrderStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateOrderStatus($id: ID!, $status: OrderStatus!) {\n    updateOrderStatus(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayOrder($orderId: ID!, $payment: PaymentInput!) {\n    payOrder(orderId: $orderId, payment: $payment) {\n      id\n      status\n      total\n      version\n      payments {\n        id\n        amount\n        status\n        failureReason\n      }\n      history {\n        status\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PayOrder($orderId: ID!, $payment: PaymentInput!) {\n    payOrder(orderId: $orderId, payment: $payment) {\n      id\n      status\n      total\n      version\n      payments {\n        id\n        amount\n        status\n        failureReason\n      }\n      history {\n        status\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrdersWithInventory {\n    orders {\n      items {\n        product {\n          name\n          inventory {\n            available\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrdersWithInventory {\n    orders {\n      items {\n        product {\n          name\n          inventory {\n            available\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockResume($productId: ID, $after: String, $initial: Boolean) {\n    stockUpdated(productId: $productId, after: $after, initial: $initial) {\n      productId\n      available\n      reserved\n      reason\n    }\n  }\n"): (typeof documents)["\n  subscription StockResume($productId: ID, $after: String, $initial: Boolean) {\n    stockUpdated(productId: $productId, after: $after, initial: $initial) {\n      productId\n      available\n      reserved\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderPlacedResume($after: String) {\n    orderPlaced(after: $after) {\n      id\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OrderPlacedResume($after: String) {\n    orderPlaced(after: $after) {\n      id\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockSnapshot($productId: ID, $initial: Boolean, $after: String) {\n    stockUpdated(productId: $productId, initial: $initial, after: $after) {\n      available\n      reserved\n      reason\n      version\n    }\n  }\n"): (typeof documents)["\n  subscription StockSnapshot($productId: ID, $initial: Boolean, $after: String) {\n    stockUpdated(productId: $productId, initial: $initial, after: $after) {\n      available\n      reserved\n      reason\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InventoryVersion($productId: ID!) {\n    inventoryItem(productId: $productId) {\n      available\n      reserved\n      version\n    }\n  }\n"): (typeof documents)["\n  query InventoryVersion($productId: ID!) {\n    inventoryItem(productId: $productId) {\n      available\n      reserved\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderStatusSnapshot($orderId: ID, $initial: Boolean, $after: String) {\n    orderStatusChanged(orderId: $orderId, initial: $initial, after: $after) {\n      id\n      status\n      version\n    }\n  }\n"): (typeof documents)["\n  subscription OrderStatusSnapshot($orderId: ID, $initial: Boolean, $after: String) {\n    orderStatusChanged(orderId: $orderId, initial: $initial, after: $after) {\n      id\n      status\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockUpdated($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n      lowStock\n      reason\n      updatedAt\n      product {\n        id\n        name\n        price\n        inventory {\n          available\n          reserved\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription StockUpdated($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n      lowStock\n      reason\n      updatedAt\n      product {\n        id\n        name\n        price\n        inventory {\n          available\n          reserved\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockLevel($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n    }\n  }\n"): (typeof documents)["\n  subscription StockLevel($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      productId\n      available\n      reserved\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockWithName($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      available\n      product {\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription StockWithName($productId: ID, $after: String) {\n    stockUpdated(productId: $productId, after: $after) {\n      available\n      product {\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderPlaced($after: String) {\n    orderPlaced(after: $after) {\n      id\n      status\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OrderPlaced($after: String) {\n    orderPlaced(after: $after) {\n      id\n      status\n      total\n      user {\n        id\n        email\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderStatusChanged($orderId: ID, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      id\n      status\n      updatedAt\n      history {\n        status\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription OrderStatusChanged($orderId: ID, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      id\n      status\n      updatedAt\n      history {\n        status\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LowStockAlert($after: String) {\n    lowStockAlert(after: $after) {\n      productId\n      available\n      reorderThreshold\n      priority\n      raisedAt\n      product {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LowStockAlert($after: String) {\n    lowStockAlert(after: $after) {\n      productId\n      available\n      reorderThreshold\n      priority\n      raisedAt\n      product {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustStock($productId: ID!, $delta: Int!, $reason: String) {\n    adjustStock(productId: $productId, delta: $delta, reason: $reason) {\n      productId\n      available\n      reserved\n    }\n  }\n"): (typeof documents)["\n  mutation AdjustStock($productId: ID!, $delta: Int!, $reason: String) {\n    adjustStock(productId: $productId, delta: $delta, reason: $reason) {\n      productId\n      available\n      reserved\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
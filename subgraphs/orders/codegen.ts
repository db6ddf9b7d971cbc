/** How codegen maps the orders subgraph's GraphQL types to its model types (see ../../codegen.ts). */
export const ordersMappers: Record<string, string> = {
  Order: '../models.js#OrderModel',
  OrderItem: '../models.js#OrderItemModel',
  User: '../models.js#UserModel',
};

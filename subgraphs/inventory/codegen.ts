/** How codegen maps the inventory subgraph's GraphQL types to its model types (see ../../codegen.ts). */
export const inventoryMappers: Record<string, string> = {
  Product: '../models.js#ProductRef',
  InventoryItem: '../models.js#StockItem',
};

/** How codegen maps the users subgraph's GraphQL types to its model types (see ../../codegen.ts). */
export const usersMappers: Record<string, string> = {
  User: '../domain/models.js#UserModel',
  Address: '../domain/models.js#AddressModel',
  AuthPayload: '../domain/models.js#AuthSession',
};

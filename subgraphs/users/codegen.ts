import type { Types } from '@graphql-codegen/plugin-helpers';

/** Resolver types of the users subgraph, generated from schema/users.graphql (see ../../codegen.ts). */
export const usersCodegen: Record<string, Types.ConfiguredOutput> = {
  'subgraphs/users/src/generated/resolvers-types.ts': {
    schema: 'schema/users.graphql',
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useIndexSignature: true,
      useTypeImports: true,
      enumsAsTypes: true,
      contextType: '../context.js#Context',
      scalars: { DateTime: 'string' },
      mappers: {
        User: '../domain/models.js#UserModel',
        Address: '../domain/models.js#AddressModel',
        AuthPayload: '../domain/models.js#AuthSession',
      },
    },
  },
};

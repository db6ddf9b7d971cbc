import { fileURLToPath } from 'node:url';
import type { SubgraphDescriptor } from '@commerce/common/server';

/**
 * The users subgraph: accounts, addresses and sign-in; it signs the access tokens.
 *
 * Only types are imported statically: tools such as codegen and compose read the list of
 * descriptors and must not load drivers. `open` loads the subgraph's code.
 */
export const usersSubgraph = {
  name: 'users',
  port: 4001,
  sdlPath: fileURLToPath(new URL('../../../schema/users.graphql', import.meta.url)),
  server: 'postgres',
  signsTokens: true,
  // Paths are relative to src/generated/.
  codegenMappers: {
    User: '../models.js#UserModel',
    Address: '../models.js#AddressModel',
    AuthPayload: '../models.js#AuthSession',
  },
  open: async (location) => (await import('./storage.js')).openUsersStorage(location),
} satisfies SubgraphDescriptor<'users'>;

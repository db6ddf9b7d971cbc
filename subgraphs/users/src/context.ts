import type { RequestContext } from '@commerce/common/server';
import type { Accounts } from './domain/accounts.js';
import type { Sessions } from './domain/sessions.js';
import type { UsersLoaders } from './loaders.js';

/** The context of one GraphQL request: the verified viewer, fresh DataLoaders and the use cases. */
export interface Context extends RequestContext {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly loaders: UsersLoaders;
}

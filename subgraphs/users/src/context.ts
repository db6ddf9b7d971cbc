import type { RequestContext } from '@commerce/common/server';
import type { Accounts } from './domain/accounts.js';
import type { UserStore } from './domain/ports.js';
import type { Sessions } from './domain/sessions.js';
import { createLoaders, type UsersLoaders } from './loaders.js';

/** The context of one GraphQL request: the verified viewer, fresh DataLoaders and the use cases. */
export interface Context extends RequestContext {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly loaders: UsersLoaders;
}

/** What every request's context is built from: the subgraph's use cases and the store its loaders read. */
export interface ContextDeps {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly store: UserStore;
}

/** The context of one request: `base` plus the use cases and DataLoaders of its own. */
export function createContext(base: RequestContext, deps: ContextDeps): Context {
  return { ...base, accounts: deps.accounts, sessions: deps.sessions, loaders: createLoaders(deps.store) };
}

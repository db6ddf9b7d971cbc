import type { IncomingMessage } from 'node:http';
import { baseContext, type RequestContext } from '@commerce/common/server';
import type { Logger } from '@commerce/common/logger';
import type { InventoryStore } from './domain/ports.js';
import { createLoaders, type Loaders } from './loaders.js';

/** The context of one GraphQL request. */
export interface Context extends RequestContext {
  readonly loaders: Loaders;
  readonly store: InventoryStore;
  /** Wakes the outbox relay after a mutation committed events. */
  readonly notifyOutbox: () => void;
}

export interface ContextDeps {
  readonly store: InventoryStore;
  readonly publicKey: string;
  readonly logger: Logger;
  readonly notifyOutbox: () => void;
}

/** Builds each request's context: the verified viewer, fresh loaders, the store. */
export function contextFactory(
  deps: ContextDeps,
): (request: IncomingMessage, correlationId: string) => Promise<Context> {
  return (request, correlationId) =>
    Promise.resolve({
      ...baseContext(request, correlationId, deps.publicKey, deps.logger),
      loaders: createLoaders(deps.store),
      store: deps.store,
      notifyOutbox: deps.notifyOutbox,
    });
}

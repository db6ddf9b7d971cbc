import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { JwtConfig } from '@commerce/common/config';
import type { EventOrigin } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { baseContext, type RequestContext } from '@commerce/common/server';
import type { OrdersService } from './domain/orders-service.js';
import type { OrderStore } from './domain/ports.js';
import { createLoaders, type OrdersLoaders } from './loaders.js';

/** The context of one GraphQL request to the orders subgraph. */
export interface Context extends RequestContext {
  readonly loaders: OrdersLoaders;
  readonly service: OrdersService;
  /** Origin of the events this request causes. */
  readonly origin: EventOrigin;
}

export interface ContextDeps {
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  readonly service: OrdersService;
  readonly orders: OrderStore;
}

/** Builds each request's context: its own verified viewer and fresh DataLoaders. */
export function contextFactory(
  deps: ContextDeps,
): (request: IncomingMessage, correlationId: string) => Promise<Context> {
  return (request, correlationId) =>
    Promise.resolve({
      ...baseContext(request, correlationId, deps.jwt.publicKey, deps.logger),
      loaders: createLoaders(deps.orders),
      service: deps.service,
      origin: { source: 'orders', correlationId: eventCorrelationId(correlationId) },
    });
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Envelopes require a UUID correlation id; a client-chosen x-correlation-id may be anything. */
function eventCorrelationId(correlationId: string): string {
  return uuid.test(correlationId) ? correlationId : randomUUID();
}

import { randomUUID } from 'node:crypto';
import type { EventOrigin } from '@commerce/common/events';
import { isUuid } from '../domain/refresh-token.js';
import type { Context } from '../context.js';

/**
 * The origin of events caused by this request. The envelope requires a UUID correlation id, and a
 * client may send any x-correlation-id: such a request's events get a fresh one.
 */
export function eventOrigin(context: Pick<Context, 'correlationId'>): EventOrigin {
  const correlationId = isUuid(context.correlationId) ? context.correlationId : randomUUID();
  return { source: 'users', correlationId };
}

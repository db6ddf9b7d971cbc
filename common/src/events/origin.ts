import { randomUUID } from 'node:crypto';
import type { Envelope, EventOrigin } from './envelope.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * The origin of events caused by a GraphQL request. The envelope requires a UUID correlation id
 * and a caller may send any x-correlation-id: such a request's events get a fresh one.
 */
export function requestOrigin(source: string, correlationId: string): EventOrigin {
  return { source, correlationId: isUuid(correlationId) ? correlationId : randomUUID() };
}

/** The origin for events published while handling `cause`: same correlation, caused by it. */
export function causedBy(cause: Envelope<unknown>, source: string): EventOrigin {
  return { source, correlationId: cause.metadata.correlationId, causationId: cause.metadata.eventId };
}

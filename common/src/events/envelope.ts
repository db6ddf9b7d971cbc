import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { topicSchemas, type TopicName, type Topics } from './topics.js';

export const metadataSchema = z.object({
  eventId: z.uuid(),
  eventType: z.string(),
  eventVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  correlationId: z.uuid(),
  causationId: z.uuid().nullable(),
});

/** Metadata every event carries; see ../shared/ARCHITECTURE.md "Events". */
export type EventMetadata = z.infer<typeof metadataSchema>;

/** The one JSON shape of every message on every topic. */
export interface Envelope<P> {
  readonly metadata: EventMetadata;
  readonly payload: P;
}

/** Where an event comes from: the service, and the request or event that caused it. */
export interface EventOrigin {
  readonly source: string;
  /** The GraphQL request's correlation id, or that of the consumed event. */
  readonly correlationId: string;
  /** The eventId of the consumed event that caused this one; null for a user's request. */
  readonly causationId?: string | null;
}

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** Builds a validated envelope; throws InvalidEventError when the payload breaks the topic's schema. */
export function createEnvelope<T extends TopicName>(
  topic: T,
  payload: Topics[T],
  origin: EventOrigin,
  now: Date = new Date(),
): Envelope<Topics[T]> {
  const metadata: EventMetadata = {
    eventId: randomUUID(),
    eventType: topic,
    eventVersion: 1,
    occurredAt: now.toISOString(),
    source: origin.source,
    correlationId: origin.correlationId,
    causationId: origin.causationId ?? null,
  };
  return parseEnvelope(topic, { metadata, payload });
}

function buildEnvelopeSchema(topic: TopicName) {
  return z.object({ metadata: metadataSchema, payload: topicSchemas[topic] });
}

/** Each topic's envelope schema, built once: the relay validates every event it publishes. */
const envelopeSchemas = new Map<TopicName, ReturnType<typeof buildEnvelopeSchema>>();

function envelopeSchema(topic: TopicName): ReturnType<typeof buildEnvelopeSchema> {
  let schema = envelopeSchemas.get(topic);
  if (!schema) envelopeSchemas.set(topic, (schema = buildEnvelopeSchema(topic)));
  return schema;
}

/** Validates an unknown value (a decoded message, a stored outbox row) as an envelope of `topic`. */
export function parseEnvelope<T extends TopicName>(topic: T, value: unknown): Envelope<Topics[T]> {
  const result = envelopeSchema(topic).safeParse(value);
  if (!result.success) {
    throw new InvalidEventError(`Invalid ${topic} event: ${z.prettifyError(result.error)}`);
  }
  if (result.data.metadata.eventType !== topic) {
    throw new InvalidEventError(`Event of type ${result.data.metadata.eventType} on topic ${topic}`);
  }
  return result.data as Envelope<Topics[T]>;
}

/** Decodes a message body: bytes -> JSON -> validated envelope. */
export function decodeEnvelope<T extends TopicName>(
  topic: T,
  bytes: Buffer | string | null,
): Envelope<Topics[T]> {
  if (bytes === null) throw new InvalidEventError(`Empty message on ${topic}`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch {
    throw new InvalidEventError(`Message on ${topic} is not JSON`);
  }
  return parseEnvelope(topic, json);
}

/** A message as both buses carry it: the validated envelope as JSON, keyed by aggregate. */
export interface EncodedEvent {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Validates an event of `topic` and encodes it as a message (the inverse of decodeEnvelope). */
export function encodeEvent(topic: TopicName, key: string, event: unknown): EncodedEvent {
  const valid = parseEnvelope(topic, event);
  return {
    key,
    value: JSON.stringify(valid),
    headers: { 'event-type': topic, 'correlation-id': valid.metadata.correlationId },
  };
}

import { createEnvelope, type Envelope, type EventOrigin } from './envelope.js';
import type { TopicName, Topics } from './topics.js';

/** An event a use case hands to its outbox: published on `topic` with `key` (the aggregate id). */
export interface OutgoingEvent {
  readonly topic: TopicName;
  /** The aggregate id: events of one aggregate stay ordered. */
  readonly key: string;
  readonly envelope: Envelope<unknown>;
}

/** A validated event for the outbox; throws InvalidEventError when the payload breaks the topic's schema. */
export function outgoingEvent<T extends TopicName>(
  topic: T,
  key: string,
  payload: Topics[T],
  origin: EventOrigin,
  now?: Date,
): OutgoingEvent {
  return { topic, key, envelope: createEnvelope(topic, payload, origin, now) };
}

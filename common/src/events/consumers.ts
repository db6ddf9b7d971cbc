import type { EventBus, Handler, SubscribeOptions } from './bus.js';
import type { TopicName, Topics } from './topics.js';

export type Unsubscribe = () => Promise<void>;

/** One topic's handler, ready to subscribe under any group. */
export interface Consumer {
  readonly topic: TopicName;
  subscribe(bus: EventBus<Topics>, group: string, options: SubscribeOptions): Promise<Unsubscribe>;
}

/** Pairs a topic with its handler, keeping the handler's payload type tied to the topic. */
export function consumer<T extends TopicName>(topic: T, handle: Handler<Topics[T]>): Consumer {
  return { topic, subscribe: (bus, group, options) => bus.subscribe(topic, group, handle, options) };
}

/**
 * Subscribes every consumer under `group`, all or none: when one subscription fails, those that
 * succeeded are undone and the error is thrown. Resolves with one function that unsubscribes them
 * all (each after the message in hand), waiting for every one even when some fail. Subscriptions start in parallel: with Kafka each one joins
 * a group, and each join is a rebalance.
 */
export async function subscribeAll(
  bus: EventBus<Topics>,
  group: string,
  consumers: readonly Consumer[],
  options: SubscribeOptions = {},
): Promise<Unsubscribe> {
  const results = await Promise.allSettled(consumers.map((each) => each.subscribe(bus, group, options)));
  const unsubscribes = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.allSettled(unsubscribes.map((unsubscribe) => unsubscribe()));
    throw failure.reason;
  }
  return async () => {
    const stopped = await Promise.allSettled(unsubscribes.map((unsubscribe) => unsubscribe()));
    const failed = stopped.flatMap((result): unknown[] =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    if (failed.length > 0) throw new AggregateError(failed, 'Some consumers did not stop cleanly');
  };
}

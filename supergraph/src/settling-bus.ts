import { isRetriable } from '@commerce/common/errors';
import {
  defaultRetryPolicy,
  InMemoryEventBus,
  type Envelope,
  type EventBus,
  type Handler,
  type RetryPolicy,
  type SubscribeOptions,
  type TopicName,
  type Topics,
} from '@commerce/common/events';

interface Subscription {
  readonly topic: string;
  /** Offset of the first message this subscription receives. */
  readonly start: number;
  /** Messages it is done with: handled, or failed for the last time (dead-lettered). */
  done: number;
}

/**
 * The embedded mode's event bus: an InMemoryEventBus that also knows when every subscriber is done
 * with every message of its topics. The bus keeps its log in memory only, so the embedded
 * supergraph waits for that (`settled`) before it stops: nothing relayed is left unconsumed.
 */
export class SettlingEventBus implements EventBus<Topics> {
  readonly inner: InMemoryEventBus;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly retry: RetryPolicy = defaultRetryPolicy) {
    this.inner = new InMemoryEventBus(retry);
  }

  publish<T extends TopicName>(topic: T, key: string, event: Envelope<Topics[T]>): Promise<void> {
    return this.inner.publish(topic, key, event);
  }

  async subscribe<T extends TopicName>(
    topic: T,
    group: string,
    handle: Handler<Topics[T]>,
    options: SubscribeOptions = {},
  ): Promise<() => Promise<void>> {
    const subscription: Subscription = {
      topic,
      start: options.fromBeginning ? 0 : this.inner.messages(topic).length,
      done: 0,
    };
    const unsubscribe = await this.inner.subscribe(
      topic,
      group,
      async (event, delivery) => {
        try {
          await handle(event, delivery);
        } catch (error) {
          // The same rule as deliverWithRetry: this was the last attempt when it is not retried.
          if (delivery.attempt >= this.retry.maxAttempts || !isRetriable(error)) subscription.done += 1;
          throw error;
        }
        subscription.done += 1;
      },
      options,
    );
    this.subscriptions.add(subscription);
    return async () => {
      this.subscriptions.delete(subscription);
      await unsubscribe();
    };
  }

  /** True when every subscriber is done with every message published to its topic so far. */
  get settled(): boolean {
    for (const { topic, start, done } of this.subscriptions) {
      if (start + done < this.inner.messages(topic).length) return false;
    }
    return true;
  }

  close(): Promise<void> {
    this.subscriptions.clear();
    return this.inner.close();
  }
}

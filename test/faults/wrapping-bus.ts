import type {
  Envelope,
  EventBus,
  Handler,
  Publication,
  SubscribeOptions,
  TopicName,
  Topics,
} from '@commerce/common/events';

/**
 * An EventBus that runs `afterHandled` after every handler of its subscribers has resolved (their
 * effect is stored) and before the bus underneath commits the offset: to watch deliveries, or to
 * crash a process at the worst moment.
 */
export class WrappingBus implements EventBus<Topics> {
  constructor(
    private readonly bus: EventBus<Topics>,
    private readonly afterHandled: (event: Envelope<unknown>, group: string) => Promise<void>,
  ) {}

  publish<T extends TopicName>(topic: T, key: string, event: Envelope<Topics[T]>): Promise<void> {
    return this.bus.publish(topic, key, event);
  }

  async publishAll(events: readonly Publication[]): Promise<void> {
    if (this.bus.publishAll) return this.bus.publishAll(events);
    for (const { topic, key, event } of events) await this.bus.publish(topic, key, event);
  }

  subscribe<T extends TopicName>(
    topic: T,
    group: string,
    handle: Handler<Topics[T]>,
    options?: SubscribeOptions,
  ): Promise<() => Promise<void>> {
    return this.bus.subscribe(
      topic,
      group,
      async (event, delivery) => {
        await handle(event, delivery);
        await this.afterHandled(event, group);
      },
      options,
    );
  }

  /** The bus underneath belongs to the caller. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

import { decodeEnvelope } from './envelope.js';
import type { InMemoryEventBus } from './memory-bus.js';
import type { LogBounds, LogPosition, LogReadOptions, LogRecord, TopicLog } from './topic-log.js';
import type { TopicName } from './topics.js';

/** The TopicLog over an InMemoryEventBus: one partition per topic, nothing ever deleted. */
export class InMemoryTopicLog implements TopicLog {
  readonly namespace = 'memory:';

  constructor(private readonly bus: InMemoryEventBus) {}

  bounds(topic: TopicName): Promise<LogBounds> {
    return Promise.resolve({ start: [0], end: [this.bus.messages(topic).length] });
  }

  async read<T extends TopicName>(
    topic: T,
    from: LogPosition,
    onRecords: (records: readonly LogRecord<T>[]) => void | Promise<void>,
    options: LogReadOptions & { readonly onInvalid?: (partition: number, offset: number) => void },
  ): Promise<void> {
    const { signal } = options;
    let next = from[0] ?? 0;
    while (!signal.aborted) {
      const messages = this.bus.messages(topic);
      const records: LogRecord<T>[] = [];
      for (; next < messages.length; next += 1) {
        const message = messages[next];
        if (!message) continue;
        try {
          records.push({
            partition: 0,
            offset: next,
            key: message.key,
            event: decodeEnvelope(topic, message.value),
          });
        } catch {
          options.onInvalid?.(0, next);
        }
      }
      if (records.length > 0) await onRecords(records);
      options.onPosition?.([next]);
      if (next >= this.bus.messages(topic).length) await this.appended(topic, signal);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves on the next message appended to `topic`, or when the signal aborts. */
  private appended(topic: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const stop = this.bus.onAppend((appendedTo) => {
        if (appendedTo === topic) done();
      });
      signal.addEventListener('abort', done, { once: true });
      function done(): void {
        stop();
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}

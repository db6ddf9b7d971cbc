/** One result of a running subscription, as the playground lists it. */
export interface StreamEvent {
  /** 1 for the first result of the run. */
  readonly index: number;
  /** `extensions.cursor`: where a subscription with `after` set to it resumes. */
  readonly cursor: string | undefined;
  /** `extensions.snapshot`: the current state sent first (`initial: true`), not a change. */
  readonly snapshot: boolean;
  /** The result carried errors (e.g. CURSOR_EXPIRED). */
  readonly failed: boolean;
}

/** Told about the subscriptions the playground runs (the page renders them; see client.ts). */
export interface StreamObserver {
  /** A subscription started; `operationName` as GraphiQL sent it. */
  started(operationName: string | undefined): StreamListener;
}

export interface StreamListener {
  received(event: StreamEvent): void;
}

/** The cursor and snapshot flag of a graphql-ws `next` payload (GraphiQL shows the payload itself). */
export function streamEventOf(result: unknown, index: number): StreamEvent {
  const { extensions, errors } = isRecord(result) ? result : {};
  const { cursor, snapshot } = isRecord(extensions) ? extensions : {};
  return {
    index,
    cursor: typeof cursor === 'string' ? cursor : undefined,
    snapshot: snapshot === true,
    failed: Array.isArray(errors) && errors.length > 0,
  };
}

/**
 * `source`, telling `listener` about each result as GraphiQL takes it. `return()` goes straight to
 * the source (an async generator would wait for the next event first): GraphiQL's stop button ends
 * the subscription at once.
 */
export function observeStream<T>(
  source: AsyncIterable<T>,
  listener: StreamListener,
): AsyncIterableIterator<T> {
  const inner = source[Symbol.asyncIterator]();
  let index = 0;
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      const step = await inner.next();
      if (!step.done) {
        index += 1;
        listener.received(streamEventOf(step.value, index));
      }
      return step;
    },
    return: (value?: unknown) =>
      inner.return ? inner.return(value) : Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** One line per event for the page's list: `#3 c1:… (snapshot)`. */
export function describeEvent(event: StreamEvent): string {
  const cursor = event.cursor ?? '(no cursor)';
  const flags = [event.snapshot ? 'snapshot' : '', event.failed ? 'errors' : ''].filter(Boolean);
  return `#${event.index} ${cursor}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

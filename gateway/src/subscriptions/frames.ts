import { formatError } from '@commerce/common/errors';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { MessageType } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { FanOutSettings } from './hub.js';
import type { Delivery, SubscriberStream } from './stream.js';

/** A result as sent to a client: errors formatted (codes, no stacks), as graphql-ws's `onNext` does. */
export function formatted(result: ExecutionResult): FormattedExecutionResult {
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) };
}

/**
 * The JSON of each result's `next` payload, made once per result object: the hub hands one shared
 * object to every member of a fan-out group, so a result is serialised once per group and event
 * however many subscribers receive it (a resuming subscriber with a cursor of its own gets its own).
 */
const payloads = new WeakMap<ExecutionResult, string>();

export function payloadJson(result: ExecutionResult): string {
  let json = payloads.get(result);
  if (json === undefined) {
    json = JSON.stringify(formatted(result));
    payloads.set(result, json);
  }
  return json;
}

/**
 * What graphql-ws iterates for one subscription. With `sharedFrames` the service writes the frames
 * itself: each delivery of the stream goes out as the `next` message graphql-ws would send
 * (`{"id","type","payload"}`), its payload's JSON shared (`payloadJson`), one frame at a time as
 * graphql-ws does (the next is taken once the socket took the previous one), so that a slow
 * reader's results still queue in the stream, where they are coalesced or the subscriber closed;
 * the iterator yields nothing, ends with the stream, and graphql-ws then sends `complete`. Without
 * it, results are yielded to graphql-ws, which serialises each for its subscriber.
 */
export class SharedFrames implements AsyncIterableIterator<ExecutionResult> {
  private readonly prefix: string;
  /** A result yielded to graphql-ws: written once graphql-ws asks for the next one. */
  private yielded: Delivery | undefined;

  constructor(
    private readonly stream: SubscriberStream,
    private readonly socket: WebSocket,
    id: string,
    private readonly settings: Pick<FanOutSettings, 'sharedFrames'>,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":`;
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.yielded) this.stream.delivered(this.yielded);
    this.yielded = undefined;
    for (;;) {
      const delivery = await this.stream.take();
      if (!delivery) return { value: undefined, done: true };
      if (!this.settings.sharedFrames) {
        this.yielded = delivery;
        return { value: delivery.result, done: false };
      }
      // As graphql-ws: nothing is written to a socket that is closing; its close ends the stream.
      if (this.socket.readyState !== WebSocket.OPEN) continue;
      await this.write(`${this.prefix}${payloadJson(delivery.result)}}`);
      this.stream.delivered(delivery);
    }
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    return this.stream.return();
  }

  throw(): Promise<IteratorResult<ExecutionResult>> {
    return this.stream.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private write(frame: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(frame, (error) => (error ? reject(error) : resolve()));
    });
  }
}

import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { payloadJson, SharedFrames } from './frames.js';
import { SubscriberStream } from './stream.js';

/** A socket that records what is sent and acknowledges each write at once. */
function fakeSocket() {
  const sent: string[] = [];
  const socket = {
    readyState: WebSocket.OPEN,
    send: (data: string, done: (error?: Error) => void) => {
      sent.push(data);
      done();
    },
  };
  return { sent, socket: socket as unknown as WebSocket };
}

function frames(settings = { sharedFrames: true }) {
  const delivered: unknown[] = [];
  const stream = new SubscriberStream({
    limits: { maxQueued: 10, maxBufferedBytes: 1_000 },
    bufferedBytes: () => 0,
    onOverflow: () => undefined,
    onEnd: () => undefined,
    onDeliver: (delivery) => delivered.push(delivery.result),
  });
  const { sent, socket } = fakeSocket();
  return { stream, sent, delivered, iterator: new SharedFrames(stream, socket, 'sub-1', settings) };
}

describe('SharedFrames', () => {
  it('writes the next message graphql-ws would send, then ends when the stream ends', async () => {
    const { stream, sent, delivered, iterator } = frames();
    const result: ExecutionResult = {
      data: { stockUpdated: { available: 3 } },
      extensions: { cursor: 'c1' },
    };
    stream.push({ result, occurredAtMs: 0 });
    stream.end();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(sent.map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { id: 'sub-1', type: 'next', payload: result },
    ]);
    expect(delivered).toEqual([result]);
  });

  it('serialises a result shared by many subscribers once, and formats its errors', () => {
    const result: ExecutionResult = {
      data: null,
      errors: [new GraphQLError('Nope', { extensions: { code: 'FORBIDDEN' } })],
    };
    const json = payloadJson(result);
    expect(payloadJson(result)).toBe(json);
    expect(JSON.parse(json)).toEqual({
      data: null,
      errors: [{ message: 'Nope', extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('yields results to graphql-ws without sharedFrames, reporting each once the next is asked', async () => {
    const { stream, sent, delivered, iterator } = frames({ sharedFrames: false });
    stream.push({ result: { data: { n: 1 } }, occurredAtMs: 0 });
    expect(await iterator.next()).toEqual({ value: { data: { n: 1 } }, done: false });
    expect(delivered).toEqual([]);
    stream.end();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(delivered).toEqual([{ data: { n: 1 } }]);
    expect(sent).toEqual([]);
  });
});

import type { Server } from 'node:http';
import { connect } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { closeServer, createGraphqlHttpServer, listen } from './http.js';

describe('request bodies of createGraphqlHttpServer', () => {
  const apollo = new ApolloServer({ typeDefs: 'type Query { echo(text: String): String }' });
  let server: Server;
  let port: number;
  let url: string;
  beforeAll(async () => {
    await apollo.start();
    server = createGraphqlHttpServer({
      apollo,
      logger: createLogger('test'),
      context: () => Promise.resolve({}),
      body: { maxBytes: 1_000_000, timeoutMs: 300 },
    });
    port = await listen(server, 0);
    url = `http://127.0.0.1:${port}/graphql`;
  });
  afterAll(async () => {
    await closeServer(server);
    await apollo.stop();
  });

  const post = (body: RequestInit['body'], headers: Record<string, string> = {}): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      duplex: 'half',
    });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const query = `{ echo(text: "${'x'.repeat(2_000_000)}") }`;
    const response = await post(JSON.stringify({ query }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        { message: 'Request body larger than 1000000 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
      ],
    });
  });

  it('counts the bytes of a body sent without content-length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(100_000));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i += 1) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await post(stream);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('PAYLOAD_TOO_LARGE');
  });

  it('answers a body that stalls with 408 REQUEST_TIMEOUT and closes the connection', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write(
      'POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query":',
    );
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"REQUEST_TIMEOUT"');
    expect(answer).toContain('Request body not received within 300 ms');
  });

  it('still serves bodies within the limits', async () => {
    const response = await post(JSON.stringify({ query: '{ echo(text: "hi") }' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { echo: null } });
    expect((await post('not json')).status).toBe(400);
  });
});

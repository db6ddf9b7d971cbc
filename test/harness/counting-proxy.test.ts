import { createServer } from 'node:http';
import { closeServer, listen } from '@commerce/common/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

describe('startCountingProxy', () => {
  const target = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(`{"path":"${request.url}"}`),
    );
  });
  let proxy: CountingProxy;

  beforeAll(async () => {
    const port = await listen(target, 0);
    proxy = await startCountingProxy(`http://127.0.0.1:${port}/graphql`);
  });

  afterAll(async () => {
    await proxy.close();
    await closeServer(target);
  });

  it('forwards requests to the same path and counts them until reset', async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const response = await fetch(proxy.url, { method: 'POST', body: '{}' });
    expect(await response.json()).toEqual({ path: '/graphql' });
    await (await fetch(proxy.url, { method: 'POST', body: '{}' })).text();
    expect(proxy.count()).toBe(2);
    proxy.reset();
    expect(proxy.count()).toBe(0);
  });
});

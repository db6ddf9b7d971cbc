import { HeaderMap } from '@apollo/server';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { closeServer, createGraphqlHttpServer, listen } from './http.js';
import { HttpRequestMetrics } from './http-metrics.js';

describe('HttpRequestMetrics', () => {
  const registry = new Registry();
  const server = createGraphqlHttpServer({
    // A stand-in for Apollo: 400 when the body asks for it, else 200.
    apollo: {
      executeHTTPGraphQLRequest: ({ httpGraphQLRequest }) => {
        const body = httpGraphQLRequest.body as { query?: string } | undefined;
        const status = body?.query === 'bad' ? 400 : 200;
        return Promise.resolve({
          status,
          headers: new HeaderMap(),
          body: { kind: 'complete', string: '{}' },
        });
      },
    },
    context: () => Promise.resolve({}),
    logger: createLogger('http-metrics-test'),
    metrics: new HttpRequestMetrics(registry),
  });
  let base = '';

  beforeAll(async () => {
    base = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(() => closeServer(server));

  const post = (query: string): Promise<Response> =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });

  it('counts GraphQL requests by method and status and times them; /health is not counted', async () => {
    expect((await post('{ ok }')).status).toBe(200);
    expect((await post('{ ok }')).status).toBe(200);
    expect((await post('bad')).status).toBe(400);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // The counters move on 'finish', right after the client has the answer.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const requests = await registry.getSingleMetric('graphql_http_requests_total')?.get();
    expect(requests?.values.map(({ labels, value }) => [labels, value])).toEqual(
      expect.arrayContaining([
        [{ method: 'POST', status: '200' }, 2],
        [{ method: 'POST', status: '400' }, 1],
      ]),
    );
    expect(requests?.values).toHaveLength(2);
    const text = await registry.metrics();
    expect(text).toContain('graphql_http_request_duration_seconds_count{status="200"} 2');
    expect(text).toContain('graphql_http_request_duration_seconds_count{status="400"} 1');
  });
});

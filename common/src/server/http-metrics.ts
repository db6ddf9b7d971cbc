import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * GraphQL HTTP requests as Prometheus sees them (pass it as GraphqlHttpOptions.metrics): counted by
 * method and status, timed by status, when the response is done. Errors are the 4xx and 5xx answers.
 */
export class HttpRequestMetrics {
  readonly requests: Counter<'method' | 'status'>;
  readonly duration: Histogram<'status'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'graphql_http_requests_total',
      help: 'GraphQL HTTP requests answered, by method and status code',
      labelNames: ['method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'graphql_http_request_duration_seconds',
      help: 'Time from a GraphQL HTTP request to the end of its response, by status code',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  answered(method: string | undefined, status: number, seconds: number): void {
    this.requests.inc({ method: method ?? 'unknown', status: String(status) });
    this.duration.observe({ status: String(status) }, seconds);
  }
}

import { Counter, Gauge, type Registry } from 'prom-client';
import type { WebSocketCaps } from './settings.js';
import type { RateName } from './settings.js';

/** Rate-limit and WebSocket-cap metrics, in the gateway's own registry. */
export class RateLimitMetrics {
  /** Refusals by budget (`limit`: the rate's name, e.g. loginFailuresPerAccount). */
  readonly limited: Counter<'limit'>;
  /** WebSockets closed with 4429 by cap (`cap`: e.g. subscriptionsPerConnection). */
  readonly capped: Counter<'cap'>;
  readonly distinctOperations: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.limited = new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests, subscribes and connections refused because a rate budget was spent, by limit',
      labelNames: ['limit'],
      registers,
    });
    this.capped = new Counter({
      name: 'gateway_websocket_capped_total',
      help: 'WebSocket connections closed with 4429 because a cap was reached, by cap',
      labelNames: ['cap'],
      registers,
    });
    this.distinctOperations = new Gauge({
      name: 'gateway_subscription_distinct_operations',
      help: 'Distinct subscription documents with subscribers on this instance',
      registers,
    });
  }

  refused(limit: RateName): void {
    this.limited.inc({ limit });
  }

  reachedCap(cap: keyof WebSocketCaps): void {
    this.capped.inc({ cap });
  }
}

import { Gauge, type Registry } from 'prom-client';
import type { OutboxRelay } from './outbox-relay.js';

/**
 * The gauge `outbox_pending_events`: events written to the service's outbox and not yet published,
 * read from the relay's source at each scrape.
 */
export function registerOutboxMetrics(registry: Registry, relay: Pick<OutboxRelay, 'pendingCount'>): void {
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events in the outbox not yet published to Kafka (the backlog of the outbox relay)',
    registers: [registry],
    async collect() {
      this.set(await relay.pendingCount());
    },
  });
}

import { Gauge, Histogram, type Registry } from 'prom-client';
import type { OutboxRelay } from './outbox-relay.js';

/**
 * The outbox relay's metrics, read from the relay at each scrape or told by it after each batch:
 * - `outbox_pending_events` (gauge): events written to the service's outbox, not yet published;
 * - `outbox_relay_wake_to_ack_seconds` (histogram): the first stage of an event's latency, from the
 *   relay's wake-up (a write's notify, a PostgreSQL notification, or the poll that found it) to the
 *   broker's acknowledgement of the batch;
 * - `outbox_relay_batch_size` (histogram): events per batch (one produce request each).
 */
export function registerOutboxMetrics(
  registry: Registry,
  relay: Pick<OutboxRelay, 'pendingCount' | 'observe'>,
): void {
  const registers = [registry];
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events in the outbox not yet published to Kafka (the backlog of the outbox relay)',
    registers,
    async collect() {
      this.set(await relay.pendingCount());
    },
  });
  const wakeToAck = new Histogram({
    name: 'outbox_relay_wake_to_ack_seconds',
    help: 'Time from the outbox relay waking up to the broker acknowledging the batch it published',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const batchSize = new Histogram({
    name: 'outbox_relay_batch_size',
    help: 'Events per batch the outbox relay published (one produce request each)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers,
  });
  relay.observe((batch) => {
    wakeToAck.observe(batch.wakeToAckSeconds);
    batchSize.observe(batch.size);
  });
}

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerOutboxMetrics } from './outbox-metrics.js';

describe('registerOutboxMetrics', () => {
  it("exports the relay's pending count as outbox_pending_events, read at each scrape", async () => {
    const registry = new Registry();
    let pending = 3;
    registerOutboxMetrics(registry, { pendingCount: () => Promise.resolve(pending) });
    expect(await registry.metrics()).toContain('outbox_pending_events 3');
    pending = 0;
    expect(await registry.metrics()).toContain('outbox_pending_events 0');
  });
});

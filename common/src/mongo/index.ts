export * from './outbox.js';
export * from './document-lock.js';
export * from './ping.js';
export { OutboxLease, type OutboxLeaseOptions } from './outbox-lease.js';

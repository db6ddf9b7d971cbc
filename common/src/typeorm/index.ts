export * from './outbox.js';
export * from './processed-events.js';

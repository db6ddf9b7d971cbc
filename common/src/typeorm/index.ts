export * from './outbox.js';
export * from './processed-events.js';
export * from './outbox-notifications.js';

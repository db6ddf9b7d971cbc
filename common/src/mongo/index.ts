export * from './outbox.js';
export * from './document-lock.js';
export * from './ping.js';

export * from './topics.js';
export * from './envelope.js';
export * from './bus.js';
export * from './delivery.js';
export * from './memory-bus.js';
export * from './kafka-bus.js';
export * from './outbox-relay.js';

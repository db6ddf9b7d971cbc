export * from './env.js';
export * from './kafka.js';
export * from './jwt.js';
export * from './service.js';

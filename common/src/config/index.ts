export * from './env.js';
export * from './kafka.js';
export * from './jwt.js';
export * from './service.js';
export * from './production.js';
export * from './secret.js';

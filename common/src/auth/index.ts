export * from './tokens.js';
export * from './guards.js';

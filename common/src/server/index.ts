export * from './http.js';
export * from './context.js';

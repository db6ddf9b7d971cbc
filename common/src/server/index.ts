export * from './http.js';
export * from './graphql-media.js';
export * from './context.js';
export * from './subgraph.js';
export * from './descriptor.js';
export * from './process.js';
export * from './metrics-route.js';
export * from './http-metrics.js';

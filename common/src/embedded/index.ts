export * from './data-dir-lock.js';
export * from './documents.js';
export * from './document-outbox.js';
export * from './files.js';
export * from './json.js';
export * from './sql.js';
export * from './sql-outbox.js';

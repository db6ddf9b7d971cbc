/**
 * The child process of `startSupergraphApart`: the subgraphs on the servers (startBackend), told to
 * its parent once up; answers `cpu` with its CPU time so far, and `close` by closing everything.
 */
import { createLogger } from '@commerce/common/logger';
import { Closers } from '@commerce/supergraph';
import type { BackendCommand, BackendReport } from './backend-process.js';
import { startBackend } from './supergraph.js';

const report = (message: BackendReport): void => void process.send?.(message);
const closers = new Closers();
const backend = await startBackend(
  {},
  createLogger('subgraphs', process.env['LOG_LEVEL'] ?? 'warn'),
  closers,
);
if (!backend.kafka || !backend.rateLimits.databaseUrl) throw new Error('the backend is not on the servers');
report({
  type: 'started',
  subgraphUrls: Object.fromEntries(Object.values(backend.subgraphs).map(({ name, url }) => [name, url])),
  admin: backend.admin,
  keys: backend.keys,
  topicPrefix: backend.kafka.topicPrefix,
  rateLimitsDatabaseUrl: backend.rateLimits.databaseUrl,
});
process.on('message', (command: BackendCommand) => {
  if (command.type === 'cpu') report({ type: 'cpu', usage: process.cpuUsage() });
  else
    void closers.closeAll('The subgraphs').finally(() => {
      report({ type: 'closed' });
      process.disconnect();
    });
});

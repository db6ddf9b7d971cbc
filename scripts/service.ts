/**
 * One service as its own process, as the containers run them: `npm run service -- <name>` or
 * SERVICE=<name>, where <name> is `gateway` or a subgraph of the list (users, products, …).
 * `npm start` (START_PROCESSES=per-service) forks this entry once per service.
 */
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { reportReady, serviceNames, startService, stopWithSupervisor } from '@commerce/supergraph';

const name = process.argv[2] ?? process.env['SERVICE'] ?? '';
if (!name) {
  console.error(`usage: npm run service -- <${serviceNames.join('|')}>  (or SERVICE=<name>)`);
  process.exit(2);
}
const logger = createLogger(name);
stopWithSupervisor();
runService(logger, async () => {
  const service = await startService(name, process.env, logger);
  reportReady(service.url);
  return service.closers;
});

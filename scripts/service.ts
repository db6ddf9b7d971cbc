/**
 * One service as its own process, as the containers run them: `npm run service -- <name>` or
 * SERVICE=<name>, where <name> is `gateway` or a subgraph of the list (users, products, …).
 */
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { serviceNames, startService } from '@commerce/supergraph';

const name = process.argv[2] ?? process.env['SERVICE'] ?? '';
if (!name) {
  console.error(`usage: npm run service -- <${serviceNames.join('|')}>  (or SERVICE=<name>)`);
  process.exit(2);
}
const logger = createLogger(name);
runService(logger, () => startService(name, process.env, logger));

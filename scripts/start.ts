/**
 * `npm start`: the whole supergraph, embedded in one process or on the servers, there one process
 * per service by default (see startFromEnv).
 */
import { fileURLToPath } from 'node:url';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { startFromEnv } from '@commerce/supergraph';

const logger = createLogger('supergraph');
const serviceEntry = fileURLToPath(new URL('./service.ts', import.meta.url));

runService(logger, async () => {
  const supergraph = await startFromEnv(process.env, logger, { serviceEntry });
  console.log(supergraph.banner);
  supergraph.failed?.catch((error: unknown) => {
    logger.fatal({ err: error }, 'stopped: the supergraph is no longer whole');
    process.exit(1);
  });
  return [() => supergraph.close()];
});

/** `npm start`: the whole supergraph in one process (embedded, or on the servers; see startFromEnv). */
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { startFromEnv } from '@commerce/supergraph';

const logger = createLogger('supergraph');

runService(logger, async () => {
  const supergraph = await startFromEnv(process.env, logger);
  console.log(supergraph.banner);
  return [() => supergraph.close()];
});

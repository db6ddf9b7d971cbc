import { ConfigError, readInt, readString, type Env } from '@commerce/common/config';
import type { EntityCacheOptions } from './entity-cache.js';

/**
 * ENTITY_CACHE (on | off, default on) and ENTITY_CACHE_MAX_MB (cached JSON per subgraph, default 64).
 */
export function readEntityCache(env: Env): EntityCacheOptions {
  const mode = readString(env, 'ENTITY_CACHE', 'on');
  if (mode !== 'on' && mode !== 'off') throw new ConfigError(`ENTITY_CACHE must be on or off, got "${mode}"`);
  return Object.freeze({
    enabled: mode === 'on',
    maxBytes: readInt(env, 'ENTITY_CACHE_MAX_MB', 64) * 1024 * 1024,
  });
}

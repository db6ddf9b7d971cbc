import type { Env } from './env.js';

/**
 * NODE_ENV=production (the Docker image sets it): defaults that are only safe on a developer's
 * machine are refused (the development admin password) or turned off (introspection, open /metrics).
 */
export function isProduction(env: Env): boolean {
  return env['NODE_ENV']?.trim() === 'production';
}

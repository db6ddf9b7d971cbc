import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The integer after `name` on the command line (`--subscribers 1000`), else `fallback`; checked against [min, max]. */
export function intArg(name: string, fallback: number, min: number, max: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return value;
}

/** The variables printed by `npm run infra:up` (.infra/env), for those not already set. */
export function loadInfraEnv(): void {
  const file = fileURLToPath(new URL('../../.infra/env', import.meta.url));
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) process.env[line.slice(0, at)] ??= line.slice(at + 1);
  }
}

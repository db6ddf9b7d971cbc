import { existsSync, readFileSync } from 'node:fs';
import { createEnvelope, type Envelope, type Topics } from '@commerce/common/events';

/** Helpers of the benchmark scripts (scripts/bench-*.ts). */

/** The median of `values` (the mean of the middle two for an even count; 0 for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The integer command-line option `--<name>` given as `raw`; throws unless within [min, max]. */
export function bounded(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
  return value;
}

/** The integer after `--<name>` on the command line (`--subscribers 1000`), else `fallback`; within [min, max]. */
export function intArg(name: string, fallback: number, min: number, max: number): number {
  const index = process.argv.indexOf(name);
  const raw = index >= 0 ? (process.argv[index + 1] ?? '') : String(fallback);
  return bounded(name.replace(/^--/, ''), raw, min, max);
}

/** The variables `npm run infra:up` wrote to .infra/env (none when it has not run). */
export function infraEnv(): Record<string, string> {
  const file = new URL('../../.infra/env', import.meta.url);
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='));
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

/** Sets the variables of .infra/env that are not already set. */
export function loadInfraEnv(): void {
  for (const [name, value] of Object.entries(infraEnv())) process.env[name] ??= value;
}

/** A stock.updated event as the inventory subgraph would publish it (an adjustment), for the benches. */
export function stockEvent(
  productId: string,
  available: number,
  version: number,
  origin: { readonly source: string; readonly correlationId: string },
): Envelope<Topics['stock.updated']> {
  const payload = {
    productId,
    available,
    reserved: 0,
    reorderThreshold: 0,
    lowStock: false,
    reason: 'ADJUSTED' as const,
    orderId: null,
    updatedAt: new Date().toISOString(),
    version,
  };
  return createEnvelope('stock.updated', payload, origin);
}

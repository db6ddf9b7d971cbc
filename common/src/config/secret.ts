import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from './env.js';

/** A secret and the variable it was read from (to say where it came from, never what it is). */
export interface Secret {
  readonly value: string;
  /** `NAME`, or `NAME_FILE` when it was read from that file. */
  readonly from: string;
}

/**
 * A secret from `NAME`, else from the file `NAME_FILE` names (a Docker secret, a generated file;
 * one trailing newline dropped); undefined when neither is set. An empty value counts as unset.
 */
export function readSecret(env: Env, name: string): Secret | undefined {
  const inline = env[name];
  const fileVariable = `${name}_FILE`;
  const file = env[fileVariable]?.trim();
  if (inline?.trim()) return { value: inline, from: name };
  if (!file) return undefined;
  let value: string;
  try {
    value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new ConfigError(`${fileVariable} names a file that cannot be read: ${file}`);
  }
  if (!value.trim()) throw new ConfigError(`${fileVariable} names an empty file: ${file}`);
  return { value, from: fileVariable };
}

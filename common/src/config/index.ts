import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateKeyPair } from '../auth/tokens.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Kafka settings; absent when KAFKA_BROKERS is not set (embedded mode: in-process bus). */
export interface KafkaConfig {
  readonly brokers: readonly string[];
  /** KAFKA_TOPIC_PREFIX: isolates topics and groups, e.g. per test run. */
  readonly topicPrefix: string;
  /** KAFKA_PARTITIONS: partitions of topics created at start (default 3). */
  readonly partitions: number;
}

export interface JwtConfig {
  readonly publicKey: string;
  /** Only the users subgraph signs tokens. */
  readonly privateKey: string | null;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
}

export function readString(env: Env, name: string, fallback?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`Missing environment variable ${name}`);
}

export function readInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function readKafkaConfig(env: Env): KafkaConfig | null {
  const brokers = env['KAFKA_BROKERS']?.trim();
  if (!brokers) return null;
  return Object.freeze({
    brokers: Object.freeze(
      brokers
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
    topicPrefix: env['KAFKA_TOPIC_PREFIX']?.trim() ?? '',
    partitions: readInt(env, 'KAFKA_PARTITIONS', 3) || 3,
  });
}

/**
 * JWT keys from JWT_PUBLIC_KEY / JWT_PRIVATE_KEY (PEM; "\n" escapes allowed) or the *_FILE variants.
 * With none set, a key pair is created once under DATA_DIR (default ./data) and reused, so the
 * services of one machine agree without setup.
 */
export function readJwtConfig(env: Env): JwtConfig {
  const fromEnv = (name: string): string | null => {
    const inline = env[name]?.trim();
    if (inline) return inline.replaceAll('\\n', '\n');
    const file = env[`${name}_FILE`]?.trim();
    return file ? readFileSync(file, 'utf8') : null;
  };
  let publicKey = fromEnv('JWT_PUBLIC_KEY');
  let privateKey = fromEnv('JWT_PRIVATE_KEY');
  if (!publicKey) ({ publicKey, privateKey } = devKeyPair(join(readString(env, 'DATA_DIR', 'data'), 'jwt')));
  return Object.freeze({
    publicKey,
    privateKey,
    accessTokenTtlSeconds: readInt(env, 'ACCESS_TOKEN_TTL_SECONDS', 900),
    refreshTokenTtlSeconds: readInt(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 24 * 3600),
  });
}

function devKeyPair(dir: string): { publicKey: string; privateKey: string } {
  const publicPath = join(dir, 'public.pem');
  const privatePath = join(dir, 'private.pem');
  if (!existsSync(publicPath) || !existsSync(privatePath)) {
    const pair = generateKeyPair();
    mkdirSync(dirname(publicPath), { recursive: true });
    writeFileSync(privatePath, pair.privateKey, { mode: 0o600 });
    writeFileSync(publicPath, pair.publicKey);
  }
  return { publicKey: readFileSync(publicPath, 'utf8'), privateKey: readFileSync(privatePath, 'utf8') };
}

export * from './service.js';

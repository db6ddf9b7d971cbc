import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateKeyPair } from '../auth/tokens.js';
import { readInt, readString, type Env } from './env.js';

export interface JwtConfig {
  readonly publicKey: string;
  /** Only the users subgraph signs tokens. */
  readonly privateKey: string | null;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
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

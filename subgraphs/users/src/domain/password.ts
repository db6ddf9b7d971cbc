import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Cost of new hashes: OWASP's scrypt recommendation (N=2^17, r=8, p=1: 128 MiB and about 0.4 s
 * here). Each hash records its parameters, so a login re-hashes an older, cheaper one (needsRehash).
 */
export const currentScryptParams: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const keyLength = 64;
const saltLength = 16;

/**
 * A slow, salted hash of the password: `scrypt$N$r$p$<salt base64>$<hash base64>`, with a random
 * 16-byte salt per password.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const hash = await derive(password, salt, currentScryptParams);
  const { N, r, p } = currentScryptParams;
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `password` matches `stored`; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(actual, parsed.hash);
}

/** True when `stored` was not made with the current parameters: hash the password again once verified. */
export function needsRehash(stored: string): boolean {
  const params = parseHash(stored)?.params;
  return (
    params?.N !== currentScryptParams.N ||
    params.r !== currentScryptParams.r ||
    params.p !== currentScryptParams.p
  );
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  const valid =
    Number.isInteger(Math.log2(params.N)) &&
    params.N >= 2 &&
    params.N <= 2 ** 20 &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= 32 &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= 16;
  const hashBytes = Buffer.from(hash, 'base64');
  if (!valid || hashBytes.length < 16) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), hash: hashBytes };
}

function derive(password: string, salt: Buffer, params: ScryptParams, length = keyLength): Promise<Buffer> {
  // scrypt needs 128·N·r bytes (128 MiB at N=2^17), above Node's 32 MiB default maxmem.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

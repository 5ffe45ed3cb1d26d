// Password hashes for the HTTP edge's Basic authentication: scrypt (node:crypto), written in the PHC string format of
// src/config/password-hash-format.ts (the setting's parser lives there, below both the configuration and this edge).
// See https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback for scrypt's cost options.
import crypto from 'node:crypto';
import { formatPasswordHash, type PasswordHash } from '../config/password-hash-format';

/** The cost of new hashes: N = 2^15, r = 8 (32 MiB, about 0.1 s per check on one core). */
export const DEFAULT_LOG_N = 15;

function scryptOptions(hash: Pick<PasswordHash, 'logN' | 'r' | 'p'>): crypto.ScryptOptions {
  const N = 2 ** hash.logN;
  // Node refuses scrypt above maxmem (32 MiB by default); scrypt needs about 128 * N * r bytes.
  return { N, r: hash.r, p: hash.p, maxmem: 256 * N * hash.r };
}

/** A new hash of `password` with a random 16-byte salt. */
export async function hashPassword(password: string, logN = DEFAULT_LOG_N): Promise<string> {
  const params = { logN, r: 8, p: 1 };
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, 32, scryptOptions(params));
  return formatPasswordHash({ ...params, salt, key });
}

/**
 * Whether `password` matches `hash`. Runs scrypt on libuv's thread pool (the event loop keeps serving) and compares
 * the derived keys with crypto.timingSafeEqual.
 */
export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const key = await scrypt(password, hash.salt, hash.key.length, scryptOptions(hash));
  return key.length === hash.key.length && crypto.timingSafeEqual(key, hash.key);
}

function scrypt(password: string, salt: Buffer, length: number, options: crypto.ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password, salt, length, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

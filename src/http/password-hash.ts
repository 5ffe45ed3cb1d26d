// Password hashes for the HTTP edge's Basic authentication: scrypt (node:crypto) in the PHC string format
// `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (salt and key in unpadded base64), as passlib and other libraries write it.
// See https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md for the format and
// https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback for scrypt's cost options.
import crypto from 'node:crypto';
import { InputError } from '../errors';

export interface PasswordHash {
  /** log2 of scrypt's cost N. */
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** The cost of new hashes: N = 2^15, r = 8 (32 MiB, about 0.1 s per check on one core). */
export const DEFAULT_LOG_N = 15;
const EXPECTED = 'expected a scrypt hash such as $scrypt$ln=15,r=8,p=1$SALT$KEY, made with "tokenwatch hash-password"';

const b64 = (buffer: Buffer): string => buffer.toString('base64').replace(/=+$/, '');

function scryptOptions(hash: Pick<PasswordHash, 'logN' | 'r' | 'p'>): crypto.ScryptOptions {
  const N = 2 ** hash.logN;
  // Node refuses scrypt above maxmem (32 MiB by default); scrypt needs about 128 * N * r bytes.
  return { N, r: hash.r, p: hash.p, maxmem: 256 * N * hash.r };
}

/** Parses a PHC scrypt string; an InputError names `where` and the expected form. Never echoes the value. */
export function parsePasswordHash(value: string, where: string): PasswordHash {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/.exec(value.trim());
  const logN = Number(match?.[1]);
  const r = Number(match?.[2]);
  const p = Number(match?.[3]);
  if (match === null || logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) {
    throw new InputError(`${where}: not a valid password hash (${EXPECTED})`);
  }
  return { logN, r, p, salt: Buffer.from(match[4] ?? '', 'base64'), key: Buffer.from(match[5] ?? '', 'base64') };
}

export function formatPasswordHash(hash: PasswordHash): string {
  return `$scrypt$ln=${hash.logN},r=${hash.r},p=${hash.p}$${b64(hash.salt)}$${b64(hash.key)}`;
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

// The PHC string format of a password hash (`$scrypt$ln=15,r=8,p=1$<salt>$<key>`, salt and key in unpadded base64),
// as passlib and other libraries write it: the value of the TOKENWATCH_HTTP_PASSWORD_HASH setting. Only the format:
// hashing and checking a password (scrypt) stay with the HTTP edge (src/http/password-hash.ts).
// See https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md for the format.
import { InputError } from '../errors';

export interface PasswordHash {
  /** log2 of scrypt's cost N. */
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const EXPECTED = 'expected a scrypt hash such as $scrypt$ln=15,r=8,p=1$SALT$KEY, made with "tokenwatch hash-password"';

const b64 = (buffer: Buffer): string => buffer.toString('base64').replace(/=+$/, '');

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

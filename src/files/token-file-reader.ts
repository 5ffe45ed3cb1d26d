// Reads a token file from disk with the checks a path needs (missing, a directory, too large, unreadable) before
// handing the bytes to the pure parser. Files, not SQLite: hence here and not in store/.
import fs from 'node:fs';
import { InputError, errorCode } from '../errors';
import path from 'node:path';
import { parseCredentialFile, type AdeKey, type ParsedCredential } from '../domain/credential-file';
import { MAX_TOKEN_FILE_BYTES, parseTokenFile, type ParsedTokenFile } from '../domain/token-file';

export function readTokenFile(file: string): ParsedTokenFile {
  return parseTokenFile(file, readFileBytes(file, 'expected a .vpptoken file downloaded from Apple'));
}

const CREDENTIAL = 'expected a .vpptoken, an MDM push certificate (.pem, .cer, .crt) or an ADE server token (_smime.p7m) from Apple';

/** Reads any credential file Apple gives (kind told from its content); `keyFile` decrypts an ADE token. */
export function readCredentialFile(file: string, keyFile: string | null = null): ParsedCredential {
  const bytes = readFileBytes(file, CREDENTIAL);
  const key: AdeKey | null =
    keyFile === null ? null : { label: keyFile, pem: readFileBytes(keyFile, "expected the MDM server's private key in PEM").toString('utf8') };
  return parseCredentialFile(file, path.basename(file), bytes, key);
}

/** The file's bytes, after the checks a path needs; `expected` ends each one-line error. */
function readFileBytes(file: string, expected: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = errorCode(error);
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`} (${expected})`);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory (${expected})`);
  if (!stat.isFile()) throw new InputError(`${file}: not a regular file (${expected})`);
  if (stat.size > MAX_TOKEN_FILE_BYTES) {
    throw new InputError(`${file}: ${stat.size} bytes is too large for a token file (at most ${MAX_TOKEN_FILE_BYTES}; ${expected})`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new InputError(`${file}: cannot read (${errorCode(error) ?? 'error'}; ${expected})`);
  }
  return bytes;
}

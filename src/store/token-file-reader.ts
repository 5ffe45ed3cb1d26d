// Reads a token file from disk with the checks a path needs (missing, a directory, too large, unreadable) before
// handing the bytes to the pure parser.
import fs from 'node:fs';
import { InputError, errorCode } from '../errors';
import { MAX_TOKEN_FILE_BYTES, parseTokenFile, type ParsedTokenFile } from '../domain/token-file';

export function readTokenFile(file: string): ParsedTokenFile {
  const expected = 'expected a .vpptoken file downloaded from Apple';
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
  return parseTokenFile(file, bytes);
}

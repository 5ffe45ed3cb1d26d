// Parses an Apple service token file (.vpptoken): base64 of a JSON object with `token` (the secret), `expDate` and
// `orgName`. Pure. Keeps the organization, the expiry and a SHA-256 fingerprint; the secret is checked, then dropped.
import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import { InputError, quoted } from '../errors';
import { parseAppleExpiry } from './dates';
import { parseOrgName } from './token-fields';

export const MAX_TOKEN_FILE_BYTES = 64 * 1024;

export interface ParsedTokenFile {
  readonly orgName: string;
  readonly expiresAt: DateTime;
  /** SHA-256 (hex) of the file's bytes. */
  readonly fingerprint: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXPECTED = 'expected a .vpptoken file downloaded from Apple';

/** Parses the bytes of a token file; `label` (usually its path) names it in the one-line error. Never echoes the secret. */
export function parseTokenFile(label: string, bytes: Uint8Array): ParsedTokenFile {
  const fail = (problem: string): never => {
    throw new InputError(`${label}: ${problem} (${EXPECTED})`);
  };
  if (bytes.length === 0) fail('empty file');
  if (bytes.length > MAX_TOKEN_FILE_BYTES) fail(`${bytes.length} bytes is too large for a token file (at most ${MAX_TOKEN_FILE_BYTES})`);
  const text = Buffer.from(bytes).toString('latin1').replace(/\s+/g, '');
  if (text === '' || text.length % 4 !== 0 || !BASE64.test(text)) fail('not base64');
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
  } catch {
    return fail('base64 content is not UTF-8 text');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail('base64 content is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('JSON is not an object');
  const fields = value as Record<string, unknown>;
  if (typeof fields['token'] !== 'string' || fields['token'].trim() === '') fail('no "token" value');
  const expDate = fields['expDate'];
  if (expDate === undefined) fail('no "expDate"');
  if (typeof expDate !== 'string') return fail('"expDate" is not a string');
  const expiresAt = parseAppleExpiry(expDate.trim());
  if (expiresAt === null) fail(`"expDate" ${quoted(expDate)} is not a date-time with an offset such as 2027-11-24T10:15:30-0800`);
  const orgName = fields['orgName'];
  if (typeof orgName !== 'string' || orgName.trim() === '') return fail('no "orgName"');
  return {
    // Checked like a name whether or not --name is given: it is stored and shown in every reminder.
    orgName: parseOrgName(orgName, `${label}: orgName`),
    expiresAt: expiresAt as DateTime,
    fingerprint: createHash('sha256').update(bytes).digest('hex'),
  };
}

// Parsing an Apple token file: organisation, expiry and fingerprint kept, never the secret; broken files fuzzed.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { InputError } from '../../src/errors';
import { parseTokenFile } from '../../src/domain/token-file';
import { makeTokenFile } from '../support/token-files';

const SECRET = 'VERY-SECRET-sToken-value';
const good = { token: SECRET, expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme Main' };

function problem(bytes: Buffer | string): string {
  try {
    parseTokenFile('acme.vpptoken', typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).not.toContain(SECRET);
    expect(message.startsWith('acme.vpptoken: ')).toBe(true);
    return message;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseTokenFile', () => {
  it('keeps the organization, the expiry and a SHA-256 fingerprint of the file, not the secret', () => {
    const bytes = makeTokenFile(good);
    const parsed = parseTokenFile('acme.vpptoken', bytes);
    expect(parsed.orgName).toBe('Acme Main');
    expect(parsed.expiresAt.toISO()).toBe('2027-11-24T18:15:30.000Z');
    expect(parsed.fingerprint).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
  });

  it('accepts a trailing newline and offsets with a colon or Z', () => {
    expect(parseTokenFile('f', Buffer.concat([makeTokenFile({ ...good, expDate: '2027-11-24T10:15:30-08:00' }), Buffer.from('\n')])).expiresAt.toISO()).toBe(
      '2027-11-24T18:15:30.000Z',
    );
    expect(parseTokenFile('f', makeTokenFile({ ...good, expDate: '2027-11-24T10:15:30Z' })).expiresAt.toISO()).toBe('2027-11-24T10:15:30.000Z');
  });

  it.each([
    ['an empty file', '', /empty file/],
    ['text that is not base64', 'hello world!', /not base64/],
    ['base64 of something that is not JSON', Buffer.from('not json').toString('base64'), /not JSON/],
    ['a JSON array', Buffer.from('[1,2]').toString('base64'), /not an object/],
    ['a file without its token', makeTokenFile({ expDate: good.expDate, orgName: 'A' }).toString(), /no "token"/],
    ['a file without expDate', makeTokenFile({ token: SECRET, orgName: 'A' }).toString(), /no "expDate"/],
    ['an unparsable expDate', makeTokenFile({ ...good, expDate: 'next year' }).toString(), /"expDate" "next year"/],
    ['an expDate without an offset', makeTokenFile({ ...good, expDate: '2027-11-24T10:15:30' }).toString(), /"expDate"/],
    ['a file without orgName', makeTokenFile({ token: SECRET, expDate: good.expDate }).toString(), /no "orgName"/],
  ])('rejects %s with one line naming the file', (_what, contents, expected) => {
    expect(problem(contents)).toMatch(expected);
  });

  it('rejects a huge file without reading it as a token', () => {
    expect(problem(Buffer.alloc(70 * 1024, 'A'))).toMatch(/too large/);
  });
});

describe('parseTokenFile, fuzzed', () => {
  it('either parses or throws one InputError line naming the file, never echoing the secret, for thousands of broken files', () => {
    const secret = 'FUZZ-SECRET-VALUE-0123456789';
    const brokenFields = fc.oneof(
      fc.record({ token: fc.constant(secret), expDate: fc.string(), orgName: fc.string() }),
      fc.record({ token: fc.oneof(fc.constant(secret), fc.integer(), fc.constant(null)), expDate: fc.constant('2027-11-24T10:15:30-0800'), orgName: fc.jsonValue() }),
      fc.dictionary(fc.string(), fc.jsonValue()).map((extra) => ({ ...extra, token: secret })),
    );
    const contents = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      brokenFields.map((fields) => makeTokenFile(fields)),
      brokenFields.map((fields) => makeTokenFile(fields).subarray(0, 10 + (JSON.stringify(fields).length % 40))),
      fc.string().map((text) => Buffer.from(`${Buffer.from(secret).toString('base64')}${text}`)),
    );
    fc.assert(
      fc.property(contents, (bytes) => {
        try {
          const parsed = parseTokenFile('fuzz.vpptoken', bytes);
          expect(parsed.expiresAt.isValid).toBe(true);
          expect(parsed.orgName.trim()).not.toBe('');
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          const message = (error as Error).message;
          expect(message.startsWith('fuzz.vpptoken: ')).toBe(true);
          expect(message).not.toContain('\n');
          expect(message).not.toContain(secret);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

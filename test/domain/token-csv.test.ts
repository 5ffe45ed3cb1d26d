// Parsing token CSV files: columns, dates, and one-line errors naming the row; broken files fuzzed.
import fc from 'fast-check';
import { InputError } from '../../src/errors';
import { inputErrorFrom } from '../support/input-error';
import { parseTokenCsv } from '../../src/domain/token-csv';

const parse = (text: string) => parseTokenCsv('tokens.csv', text, 'Europe/Paris');

const rejection = (text: string): string => inputErrorFrom(() => parse(text));

describe('parseTokenCsv', () => {
  it('reads every column, with empty cells meaning the defaults', () => {
    const [a, b] = parse(
      '\ufeffname,expires,apple_id,org_group,email,slack_channel,kind,thresholds,notes\n' +
        'A,2027-03-01,a@x.test,Global / A,ops@x.test,#a,vpp,"45,10",first\n' +
        'B,2027-02-01T12:00:00Z,,,,,,,\n',
    );
    expect(a).toMatchObject({ name: 'A', appleId: 'a@x.test', orgGroup: 'Global / A', email: ['ops@x.test'], slackChannel: '#a', thresholds: [45, 10], notes: 'first' });
    expect(a?.expiresAt.toISO()).toBe('2027-02-28T23:00:00.000Z');
    expect(b).toMatchObject({ name: 'B', appleId: null, orgGroup: null, email: null, slackChannel: null, thresholds: null, kind: 'vpp' });
  });

  it.each([
    [
      'a duplicate name after quoted CRLFs and blank lines',
      'name,expires,notes\nA,2027-01-01,"x\r\ny"\n\n\nB,2027-01-01,"p\r\n\r\nq"\nA,2027-02-01,\n',
      'tokens.csv line 9: name "A" already on line 3 (expected unique names)',
    ],
    [
      'a bad date after quoted CRLFs and blank lines',
      'name,expires,notes\nA,2027-01-01,"x\r\ny"\n\n\nB,2027-01-01,"p\r\n\r\nq"\nC,2027-02-30,\n',
      'tokens.csv line 9: expires: "2027-02-30" is not a calendar date (expected YYYY-MM-DD or an ISO 8601 date-time such as 2027-01-15T09:00:00+01:00)',
    ],
    [
      'a duplicate of a row spanning lines, in a CRLF file',
      'name,expires,notes\r\nA,2027-01-01,"x\ny"\r\n\r\nB,2027-01-01,"p\n\nq"\r\nB,2027-02-01,\r\n',
      'tokens.csv line 8: name "B" already on line 7 (expected unique names)',
    ],
    ['a row with neither date, after good rows', 'name,expires,downloaded\nA,2027-01-01,\nB,,\n', 'tokens.csv line 3: give exactly one of expires and downloaded'],
  ])('names the exact line of %s', (_what, text, expected) => {
    expect(rejection(text)).toBe(expected);
  });

  it('computes the expiry from a downloaded column', () => {
    const [token] = parse('name,downloaded\nD,2026-02-10\n');
    expect(token?.expiresAt.setZone('Europe/Paris').toISODate()).toBe('2027-02-10');
  });

  it.each([
    ['an unknown column', 'name,expires,colour\nA,2027-01-01,red\n', /line 1: unknown column "colour"/],
    ['a missing expiry column', 'name,apple_id\nA,a@x\n', /line 1: missing columns/],
    ['a bad date', 'name,expires\nA,2027-03-01\nB,2027-02-30\n', /line 3: expires: "2027-02-30"/],
    ['a duplicate name', 'name,expires\nA,2027-03-01\nA,2027-04-01\n', /line 3: name "A" already on line 2/],
    ['a short row', 'name,expires\nA\n', /line 2: .*Invalid Record Length|line 2:/],
    ['an unterminated quote', 'name,expires\n"A,2027-03-01\n', /line \d+: /],
    ['no rows', 'name,expires\n', /no rows/],
    ['an empty file', '', /empty/],
    ['a bad email', 'name,expires,email\nA,2027-03-01,nope\n', /line 2: email: "nope"/],
  ])('rejects %s, naming the line', (_what, text, expected) => {
    expect(rejection(text)).toMatch(expected);
  });
});

describe('parseTokenCsv, fuzzed', () => {
  it('accepts a file only when every row is valid, and otherwise names the line, for thousands of generated files', () => {
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('2027-03-01', '2027-02-30', 'A', '', '"', 'a@x.test', '#ops', '60,30'));
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    fc.assert(
      fc.property(fc.array(row, { minLength: 0, maxLength: 6 }), (rows) => {
        const text = ['name,expires', ...rows].join('\n');
        try {
          const tokens = parse(text);
          expect(tokens.length).toBeGreaterThan(0);
          expect(new Set(tokens.map((t) => t.name)).size).toBe(tokens.length);
          expect(tokens.every((t) => t.expiresAt.isValid)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).toMatch(/^tokens\.csv(:| line \d+: )/);
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// renewalProblems: a renewal must move the expiry later and bring a token file the token never had.
import { DateTime } from 'luxon';
import { renewalProblems } from '../../src/domain/renewal-check';

const at = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toUTC();
const token = { name: 'Acme', expiresAt: at('2028-01-14T10:00'), fingerprints: new Set(['a'.repeat(64), 'b'.repeat(64)]) };

describe('renewalProblems', () => {
  it('accepts a later expiry from a new file, or from a date', () => {
    expect(renewalProblems(token, { expiresAt: at('2029-01-13T10:00'), fingerprint: 'c'.repeat(64) }, 'Europe/Paris')).toEqual([]);
    expect(renewalProblems(token, { expiresAt: at('2028-01-14T10:01'), fingerprint: null }, 'Europe/Paris')).toEqual([]);
  });

  it('names an expiry that is the same or earlier, and a file the token already had, dates in the zone', () => {
    expect(renewalProblems(token, { expiresAt: at('2028-01-14T10:00'), fingerprint: null }, 'Europe/Paris')).toEqual([
      'the new expiry 2028-01-14 is the same as the current one 2028-01-14',
    ]);
    expect(renewalProblems(token, { expiresAt: at('2027-01-15T00:30'), fingerprint: 'b'.repeat(64) }, 'Europe/Paris')).toEqual([
      'the new expiry 2027-01-15 is earlier than the current one 2028-01-14',
      'this token already had this file (SHA-256 bbbbbbbbbbbb…)',
    ]);
    // 00:30 in Paris is still the 14th in UTC: dates are read in the configured zone.
    expect(renewalProblems(token, { expiresAt: at('2027-01-15T00:30'), fingerprint: null }, 'UTC')[0]).toBe(
      'the new expiry 2027-01-14 is earlier than the current one 2028-01-14',
    );
  });
});

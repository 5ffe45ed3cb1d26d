// Dates: parsing input and Apple expiries, calendar days left in a zone, expiry from a download date, and formatting.
import { DateTime } from 'luxon';
import fc from 'fast-check';
import { InputError } from '../../src/errors';
import {
  calendarDaysBetween,
  daysLeft,
  expiryFromDownload,
  formatDate,
  formatDateTime,
  formatDateTimeCompact,
  isValidZone,
  parseAppleExpiry,
  parseDateInput,
  relativeDays,
} from '../../src/domain/dates';

const at = (iso: string, zone = 'Europe/Paris'): DateTime => DateTime.fromISO(iso, { zone });

describe('parseDateInput', () => {
  it('reads YYYY-MM-DD as midnight in the configured zone', () => {
    expect(parseDateInput('2027-03-01', 'Europe/Paris', '--expires').toISO()).toBe('2027-02-28T23:00:00.000Z');
    expect(parseDateInput('2027-07-01', 'America/New_York', '--expires').toISO()).toBe('2027-07-01T04:00:00.000Z');
  });

  it('keeps the offset of a full ISO 8601 date-time, with or without a colon, or Z', () => {
    expect(parseDateInput('2027-01-15T09:00:00+01:00', 'UTC', 'x').toISO()).toBe('2027-01-15T08:00:00.000Z');
    expect(parseDateInput('2027-01-15T09:00:00+0100', 'UTC', 'x').toISO()).toBe('2027-01-15T08:00:00.000Z');
    expect(parseDateInput('2027-01-15T09:00:00Z', 'Europe/Paris', 'x').toISO()).toBe('2027-01-15T09:00:00.000Z');
  });

  it('reads a date-time without an offset in the configured zone', () => {
    expect(parseDateInput('2027-01-15T09:30', 'Europe/Paris', 'x').toISO()).toBe('2027-01-15T08:30:00.000Z');
  });

  it.each(['2027-02-30', '2027-13-01', 'tomorrow', '', ' 2027-01-01', '27-01-01', '2027-01-01T25:00', '2027-01-01T10:00+25:00'])(
    'rejects %j with one line naming the input',
    (text) => {
      expect(() => parseDateInput(text, 'Europe/Paris', '--expires')).toThrow(InputError);
      try {
        parseDateInput(text, 'Europe/Paris', '--expires');
      } catch (error) {
        expect((error as Error).message).toMatch(/^--expires: .*expected YYYY-MM-DD/);
        expect((error as Error).message).not.toContain('\n');
      }
    },
  );

  it('either returns a valid instant or throws an InputError for any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          expect(parseDateInput(text, 'Europe/Paris', 'x').isValid).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseAppleExpiry', () => {
  it('reads the expDate of a token file with its numeric offset', () => {
    expect(parseAppleExpiry('2027-11-24T10:15:30-0800')?.toISO()).toBe('2027-11-24T18:15:30.000Z');
    expect(parseAppleExpiry('2027-11-24T10:15:30-08:00')?.toISO()).toBe('2027-11-24T18:15:30.000Z');
    expect(parseAppleExpiry('2027-11-24T10:15:30Z')?.toISO()).toBe('2027-11-24T10:15:30.000Z');
  });

  it('refuses an expDate without an offset or that is not a date', () => {
    expect(parseAppleExpiry('2027-11-24T10:15:30')).toBeNull();
    expect(parseAppleExpiry('2027-11-24')).toBeNull();
    expect(parseAppleExpiry('soon')).toBeNull();
  });
});

describe('days left', () => {
  it('counts calendar days in the zone, not 24-hour periods', () => {
    // 23:30 tonight to 00:30 the day after: one hour, but one calendar day.
    expect(daysLeft(at('2027-01-16T00:30'), at('2027-01-15T23:30'), 'Europe/Paris')).toBe(1);
    expect(daysLeft(at('2027-01-15T23:59'), at('2027-01-15T00:00'), 'Europe/Paris')).toBe(0);
  });

  it('is right across the spring and autumn DST changes', () => {
    expect(daysLeft(at('2027-04-05T09:00'), at('2027-03-20T09:00'), 'Europe/Paris')).toBe(16);
    expect(daysLeft(at('2027-11-05T09:00'), at('2027-10-25T09:00'), 'Europe/Paris')).toBe(11);
    expect(daysLeft(at('2027-03-29T00:00'), at('2027-03-27T23:59'), 'Europe/Paris')).toBe(2);
  });

  it('depends on the zone the dates are taken in', () => {
    const expiry = DateTime.fromISO('2027-03-01T02:00:00Z');
    const now = DateTime.fromISO('2027-02-28T20:00:00Z');
    expect(daysLeft(expiry, now, 'UTC')).toBe(1);
    expect(daysLeft(expiry, now, 'America/Los_Angeles')).toBe(0);
    expect(daysLeft(expiry, now, 'Asia/Tokyo')).toBe(0);
  });

  it('is negative once the expiry date has passed', () => {
    expect(calendarDaysBetween(at('2027-01-10'), at('2027-01-03'), 'Europe/Paris')).toBe(-7);
  });

  it('counts 29 February in a leap year', () => {
    expect(daysLeft(at('2028-03-01'), at('2028-02-01'), 'Europe/Paris')).toBe(29);
  });
});

describe('expiryFromDownload', () => {
  it('is 12 months after the download, at the same local time', () => {
    expect(expiryFromDownload(at('2026-06-15T10:00'), 'Europe/Paris').setZone('Europe/Paris').toISO()).toBe('2027-06-15T10:00:00.000+02:00');
  });

  it('takes 29 February to 28 February of the next year', () => {
    expect(formatDate(expiryFromDownload(at('2028-02-29T12:00'), 'Europe/Paris'), 'Europe/Paris')).toBe('2029-02-28');
  });
});

describe('formatting and zones', () => {
  it('shows dates in the configured zone', () => {
    const instant = DateTime.fromISO('2027-02-28T23:30:00Z');
    expect(formatDate(instant, 'Europe/Paris')).toBe('2027-03-01');
    expect(formatDate(instant, 'UTC')).toBe('2027-02-28');
    expect(formatDateTime(instant, 'Europe/Paris')).toBe('Monday 1 March 2027, 00:30 CET (Europe/Paris)');
    expect(formatDateTime(instant, 'UTC')).toBe('Sunday 28 February 2027, 23:30 UTC');
    expect(formatDateTimeCompact(instant, 'Europe/Paris')).toBe('2027-03-01 00:30 (Europe/Paris)');
  });

  it('knows IANA zones and refuses others', () => {
    expect(isValidZone('Europe/Paris')).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Mars/Olympus')).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(isValidZone(' Europe/Paris')).toBe(false);
  });
});

describe('dates a reader understands (issue 8)', () => {
  it('names the day, the month and the zone of the expiry, with CET in winter and CEST in summer in Paris', () => {
    expect(formatDateTime(DateTime.fromISO('2026-12-15T22:59:00Z'), 'Europe/Paris')).toBe('Tuesday 15 December 2026, 23:59 CET (Europe/Paris)');
    expect(formatDateTime(DateTime.fromISO('2027-07-15T07:00:00Z'), 'Europe/Paris')).toBe('Thursday 15 July 2027, 09:00 CEST (Europe/Paris)');
  });

  it('switches between CET and CEST at the DST change, with the local time on each side', () => {
    // 28 March 2027: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
    expect(formatDateTime(DateTime.fromISO('2027-03-28T00:59:00Z'), 'Europe/Paris')).toBe('Sunday 28 March 2027, 01:59 CET (Europe/Paris)');
    expect(formatDateTime(DateTime.fromISO('2027-03-28T01:00:00Z'), 'Europe/Paris')).toBe('Sunday 28 March 2027, 03:00 CEST (Europe/Paris)');
    // 31 October 2027: back from 03:00 CEST to 02:00 CET; 02:30 happens twice and the abbreviation tells them apart.
    expect(formatDateTime(DateTime.fromISO('2027-10-31T00:30:00Z'), 'Europe/Paris')).toBe('Sunday 31 October 2027, 02:30 CEST (Europe/Paris)');
    expect(formatDateTime(DateTime.fromISO('2027-10-31T01:30:00Z'), 'Europe/Paris')).toBe('Sunday 31 October 2027, 02:30 CET (Europe/Paris)');
  });

  it('shows a zone without DST the same way all year, by its offset when it has no common abbreviation', () => {
    expect(formatDateTime(DateTime.fromISO('2027-01-15T00:00:00Z'), 'Asia/Tokyo')).toBe('Friday 15 January 2027, 09:00 GMT+9 (Asia/Tokyo)');
    expect(formatDateTime(DateTime.fromISO('2027-07-15T00:00:00Z'), 'Asia/Tokyo')).toBe('Thursday 15 July 2027, 09:00 GMT+9 (Asia/Tokyo)');
    expect(formatDateTime(DateTime.fromISO('2027-01-15T00:00:00Z'), 'Asia/Kolkata')).toBe('Friday 15 January 2027, 05:30 GMT+5:30 (Asia/Kolkata)');
    expect(formatDateTime(DateTime.fromISO('2027-01-15T14:00:00Z'), 'America/New_York')).toBe('Friday 15 January 2027, 09:00 EST (America/New_York)');
    expect(formatDateTime(DateTime.fromISO('2027-07-15T13:00:00Z'), 'America/New_York')).toBe('Thursday 15 July 2027, 09:00 EDT (America/New_York)');
  });

  it('never says UTC unless the configured zone is UTC, for any instant and zone', () => {
    const zones = ['Europe/Paris', 'Europe/London', 'America/New_York', 'America/Sao_Paulo', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Sydney', 'Pacific/Chatham', 'America/St_Johns', 'Etc/GMT+5', 'Africa/Abidjan'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (millis, zone) => {
        const text = formatDateTime(DateTime.fromMillis(millis, { zone: 'UTC' }), zone);
        expect(text).not.toContain('UTC');
        expect(text.endsWith(` (${zone})`)).toBe(true);
        expect(text).toMatch(/^[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} (?:[A-Z]{2,5}|GMT[+-]\d{1,2}(?::\d{2})?) \(/);
      }),
    );
    expect(formatDateTime(DateTime.fromISO('2027-01-15T09:00:00Z'), 'UTC')).toBe('Friday 15 January 2027, 09:00 UTC');
  });

  it('says in how many calendar days, today, or how long ago', () => {
    expect(relativeDays(30)).toBe('in 30 days');
    expect(relativeDays(1)).toBe('in 1 day');
    expect(relativeDays(0)).toBe('today');
    expect(relativeDays(-1)).toBe('1 day ago');
    expect(relativeDays(-8)).toBe('8 days ago');
  });
});

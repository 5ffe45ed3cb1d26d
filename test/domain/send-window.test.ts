// The send window: parsing hours, days and bypass, when the window opens, and which reminders wait for it.
import { DateTime } from 'luxon';
import {
  ALL_WEEKDAYS,
  DEFAULT_BYPASS,
  bypassesWindow,
  firstAttemptAt,
  formatBypass,
  formatDailyHours,
  formatWeekdays,
  isWindowOpen,
  nextWindowOpening,
  parseBypass,
  parseDailyHours,
  parseWeekdays,
  type SendWindow,
} from '../../src/domain/send-window';
import { InputError } from '../../src/errors';

const PARIS = 'Europe/Paris';
const at = (iso: string, zone = PARIS): DateTime => DateTime.fromISO(iso, { zone });
const local = (instant: DateTime, zone = PARIS): string => instant.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm ZZ ccc");
const office: SendWindow = { hours: parseDailyHours('08:00-18:00', 'w'), days: parseWeekdays('mon-fri', 'd') };
const everyDay = (hours: string): SendWindow => ({ hours: parseDailyHours(hours, 'w'), days: ALL_WEEKDAYS });

describe('the send window', () => {
  describe('parsing', () => {
    it('reads daily hours, an overnight range and 24:00 as an end', () => {
      expect(parseDailyHours('08:00-18:00', 'w')).toEqual({ startMinute: 480, endMinute: 1080 });
      expect(parseDailyHours(' 22:30-06:00 ', 'w')).toEqual({ startMinute: 1350, endMinute: 360 });
      expect(parseDailyHours('18:00-24:00', 'w')).toEqual({ startMinute: 1080, endMinute: 1440 });
      expect(formatDailyHours(parseDailyHours('07:05-19:30', 'w'))).toBe('07:05-19:30');
    });

    it.each(['8-18', '08:00', '08:00-18:60', '25:00-26:00', '24:00-06:00', '08:00-08:00', '00:00-24:00', '08:00 - 18:00', ''])(
      'refuses %p with one line naming the setting and what was expected',
      (text) => {
        let error: unknown;
        try {
          parseDailyHours(text, 'TOKENWATCH_SEND_WINDOW');
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toMatch(/^TOKENWATCH_SEND_WINDOW: .*expected/);
        expect((error as Error).message).not.toContain('\n');
      },
    );

    it('reads days as lists and ranges, in any case', () => {
      expect(parseWeekdays('mon-fri', 'd')).toEqual([1, 2, 3, 4, 5]);
      expect(parseWeekdays('Sat,sun,MON', 'd')).toEqual([1, 6, 7]);
      expect(formatWeekdays(parseWeekdays('mon-wed,fri', 'd'))).toBe('mon,tue,wed,fri');
      for (const bad of ['', 'fri-mon', 'monday', 'mon,,tue', 'mon-tue-wed']) {
        expect(() => parseWeekdays(bad, 'TOKENWATCH_SEND_DAYS')).toThrow(/^TOKENWATCH_SEND_DAYS: .*expected day names/);
      }
    });

    it('reads which alerts bypass the window, or none', () => {
      expect(parseBypass('expired,smallest', 'b')).toEqual(DEFAULT_BYPASS);
      expect(parseBypass('none', 'b')).toEqual({ expired: false, renewed: false, smallest: false, thresholds: [] });
      expect(parseBypass('expired, 7, 30', 'b')).toEqual({ expired: true, renewed: false, smallest: false, thresholds: [7, 30] });
      expect(formatBypass(parseBypass('renewed,7', 'b'))).toBe('renewed,7');
      for (const bad of ['', 'expired,', 'soon', '0', 'none,expired']) {
        expect(() => parseBypass(bad, 'TOKENWATCH_SEND_WINDOW_BYPASS')).toThrow(/^TOKENWATCH_SEND_WINDOW_BYPASS: .*expected "none"/);
      }
    });
  });

  describe('opening times', () => {
    it('is open from the start time up to, not including, the end time on allowed days', () => {
      expect(isWindowOpen(office, at('2027-01-04T07:59'), PARIS)).toBe(false); // Monday
      expect(isWindowOpen(office, at('2027-01-04T08:00'), PARIS)).toBe(true);
      expect(isWindowOpen(office, at('2027-01-04T17:59'), PARIS)).toBe(true);
      expect(isWindowOpen(office, at('2027-01-04T18:00'), PARIS)).toBe(false);
      expect(isWindowOpen(office, at('2027-01-09T10:00'), PARIS)).toBe(false); // Saturday
    });

    it('reads the hours in the configured zone, not in UTC or the host zone', () => {
      const instant = DateTime.fromISO('2027-01-04T07:30:00Z'); // 08:30 in Paris, 02:30 in New York
      expect(isWindowOpen(office, instant, PARIS)).toBe(true);
      expect(isWindowOpen(office, instant, 'America/New_York')).toBe(false);
      expect(local(nextWindowOpening(office, instant, 'America/New_York'), 'America/New_York')).toBe('2027-01-04T08:00 -05:00 Mon');
    });

    it('opens next at 08:00 the same day for 03:00, the next morning for 19:00, and on Monday after Friday evening', () => {
      expect(local(nextWindowOpening(office, at('2027-01-05T03:00'), PARIS))).toBe('2027-01-05T08:00 +01:00 Tue');
      expect(local(nextWindowOpening(office, at('2027-01-05T19:00'), PARIS))).toBe('2027-01-06T08:00 +01:00 Wed');
      expect(local(nextWindowOpening(office, at('2027-01-08T18:00'), PARIS))).toBe('2027-01-11T08:00 +01:00 Mon');
      expect(local(nextWindowOpening(office, at('2027-01-10T12:00'), PARIS))).toBe('2027-01-11T08:00 +01:00 Mon');
      const open = at('2027-01-05T09:15');
      expect(nextWindowOpening(office, open, PARIS).toMillis()).toBe(open.toMillis());
    });

    it('keeps the wall-clock opening across the spring-forward and fall-back changes', () => {
      // Paris: 2027-03-28 02:00 → 03:00 (+01:00 → +02:00); 2027-10-31 03:00 → 02:00 (+02:00 → +01:00).
      expect(local(nextWindowOpening(everyDay('08:00-18:00'), at('2027-03-27T20:00'), PARIS))).toBe('2027-03-28T08:00 +02:00 Sun');
      expect(local(nextWindowOpening(everyDay('08:00-18:00'), at('2027-10-30T20:00'), PARIS))).toBe('2027-10-31T08:00 +01:00 Sun');
      // 23 and 25 hours later in absolute time: the wall clock, not a fixed 24 h, decides.
      const before = nextWindowOpening(everyDay('08:00-18:00'), at('2027-03-27T07:00'), PARIS);
      const after = nextWindowOpening(everyDay('08:00-18:00'), at('2027-03-27T19:00'), PARIS);
      expect(after.diff(before, 'hours').hours).toBe(23);
    });

    it('opens at the first instant after an opening time that the spring-forward change skips', () => {
      const window = everyDay('02:30-05:00');
      const opening = nextWindowOpening(window, at('2027-03-28T01:00'), PARIS);
      expect(local(opening)).toBe('2027-03-28T03:30 +02:00 Sun');
      expect(isWindowOpen(window, opening, PARIS)).toBe(true);
    });

    it('skips a day whose window lies wholly inside the hour that spring-forward removes', () => {
      const sundayNight: SendWindow = { hours: parseDailyHours('02:00-03:00', 'w'), days: parseWeekdays('sun', 'd') };
      expect(local(nextWindowOpening(sundayNight, at('2027-03-21T04:00'), PARIS))).toBe('2027-04-04T02:00 +02:00 Sun');
    });

    it('opens once at an opening time that the fall-back change repeats', () => {
      const window = everyDay('02:30-05:00');
      const opening = nextWindowOpening(window, at('2027-10-31T01:00'), PARIS);
      expect(opening.setZone(PARIS).toFormat('HH:mm')).toBe('02:30');
      expect(isWindowOpen(window, opening, PARIS)).toBe(true);
      // Open through both 02:30s: a reminder recorded during the repeated hour goes at once.
      expect(isWindowOpen(window, opening.plus({ hours: 1 }), PARIS)).toBe(true);
    });

    it('supports an overnight window, which belongs to the day it opens on', () => {
      const nights: SendWindow = { hours: parseDailyHours('22:00-06:00', 'w'), days: parseWeekdays('mon-fri', 'd') };
      expect(isWindowOpen(nights, at('2027-01-04T23:00'), PARIS)).toBe(true); // Monday night
      expect(isWindowOpen(nights, at('2027-01-05T05:59'), PARIS)).toBe(true); // Tuesday early: Monday's window
      expect(isWindowOpen(nights, at('2027-01-05T06:00'), PARIS)).toBe(false);
      expect(isWindowOpen(nights, at('2027-01-09T03:00'), PARIS)).toBe(true); // Saturday early: Friday's window
      expect(isWindowOpen(nights, at('2027-01-10T03:00'), PARIS)).toBe(false); // Sunday early: Saturday's, not allowed
      expect(local(nextWindowOpening(nights, at('2027-01-05T12:00'), PARIS))).toBe('2027-01-05T22:00 +01:00 Tue');
      expect(local(nextWindowOpening(nights, at('2027-01-10T03:00'), PARIS))).toBe('2027-01-11T22:00 +01:00 Mon');
    });

    it('finds an opening after any instant of a year, never before it, in several zones', () => {
      const windows = [office, everyDay('22:00-06:00'), everyDay('00:30-01:00'), { hours: parseDailyHours('02:00-03:00', 'w'), days: parseWeekdays('sun', 'd') }];
      for (const zone of [PARIS, 'America/New_York', 'Australia/Lord_Howe', 'UTC']) {
        for (const window of windows) {
          for (let hour = 0; hour < 366 * 24; hour += 11) {
            const instant = DateTime.fromISO('2027-01-01T00:17:00Z').plus({ hours: hour });
            const opening = nextWindowOpening(window, instant, zone);
            expect(opening >= instant).toBe(true);
            expect(isWindowOpen(window, opening, zone)).toBe(true);
            expect(opening.diff(instant, 'days').days).toBeLessThanOrEqual(15);
          }
        }
      }
    });
  });

  describe('which reminders wait', () => {
    const policy = { window: office, bypass: DEFAULT_BYPASS };
    const night = at('2027-01-05T03:00');

    it('lets the expired alert and the smallest threshold go at once by default, and holds the others', () => {
      expect(bypassesWindow({ kind: 'expired', daysAfter: 0 }, 7, DEFAULT_BYPASS)).toBe(true);
      expect(bypassesWindow({ kind: 'threshold', days: 7 }, 7, DEFAULT_BYPASS)).toBe(true);
      expect(bypassesWindow({ kind: 'threshold', days: 10 }, 10, DEFAULT_BYPASS)).toBe(true);
      expect(bypassesWindow({ kind: 'threshold', days: 30 }, 7, DEFAULT_BYPASS)).toBe(false);
      expect(bypassesWindow({ kind: 'renewed' }, 7, DEFAULT_BYPASS)).toBe(false);
      expect(firstAttemptAt(policy, { kind: 'expired', daysAfter: 0 }, 7, night, PARIS).toMillis()).toBe(night.toMillis());
      expect(local(firstAttemptAt(policy, { kind: 'threshold', days: 30 }, 7, night, PARIS))).toBe('2027-01-05T08:00 +01:00 Tue');
    });

    it('holds everything with "none", and sends everything at once without a window', () => {
      const none = { window: office, bypass: parseBypass('none', 'b') };
      expect(local(firstAttemptAt(none, { kind: 'expired', daysAfter: 0 }, 7, night, PARIS))).toBe('2027-01-05T08:00 +01:00 Tue');
      expect(firstAttemptAt(null, { kind: 'threshold', days: 60 }, 7, night, PARIS).toMillis()).toBe(night.toMillis());
    });
  });
});

// The remembered zone offsets behind calendar days and dates in messages: the same answers as asking the zone each
// time (luxon, hence Intl), around daylight-saving changes, half-hour and 45-minute zones, a skipped day, and anywhere.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { calendarDaysBetween, formatDate, formatDateTime, zoneOffsetMinutes } from '../../src/domain/dates';

/** The zone's offset as luxon computes it without any memory of ours. */
const exactOffset = (zone: string, ms: number): number => DateTime.fromMillis(ms, { zone }).offset;
/** The calendar-day count as it was computed before offsets were remembered: both instants set in the zone. */
const exactDays = (from: DateTime, to: DateTime, zone: string): number => {
  const day = (d: DateTime): number => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
  return day(to.setZone(zone)) - day(from.setZone(zone));
};

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Apia', 'America/St_Johns', 'UTC'];

describe('zone offsets remembered per hour', () => {
  it('agrees with the zone minute by minute across the changes of 2027 in Paris, New York and St John\'s', () => {
    // Paris: 2027-03-28 01:00Z (+1 -> +2) and 2027-10-31 01:00Z; New York: 2027-03-14 07:00Z and 2027-11-07 06:00Z;
    // St John's (-3:30 -> -2:30) at 2027-03-14 05:30Z: in the middle of an hour of UTC.
    for (const [zone, change] of [
      ['Europe/Paris', '2027-03-28T01:00:00Z'],
      ['Europe/Paris', '2027-10-31T01:00:00Z'],
      ['America/New_York', '2027-03-14T07:00:00Z'],
      ['America/New_York', '2027-11-07T06:00:00Z'],
      ['America/St_Johns', '2027-03-14T05:30:00Z'],
    ] as const) {
      const at = DateTime.fromISO(change).toMillis();
      const offsets = new Set<number>();
      for (let minute = -90; minute <= 90; minute += 1) {
        const ms = at + minute * 60_000;
        expect({ zone, ms, offset: zoneOffsetMinutes(zone, ms) }).toEqual({ zone, ms, offset: exactOffset(zone, ms) });
        offsets.add(zoneOffsetMinutes(zone, ms));
      }
      expect(offsets.size).toBe(2);
    }
  });

  it('agrees with the zone in the hour of a half-hour change (Lord Howe Island) and on the day Samoa skipped', () => {
    // Lord Howe: +11 -> +10:30 on 2027-04-04 at 02:00 local (15:00Z the day before); Apia skipped 2011-12-30.
    for (const [zone, iso] of [
      ['Australia/Lord_Howe', '2027-04-03T14:00:00Z'],
      ['Pacific/Apia', '2011-12-30T08:00:00Z'],
    ] as const) {
      const start = DateTime.fromISO(iso).toMillis();
      for (let minute = 0; minute <= 180; minute += 1) {
        const ms = start + minute * 60_000;
        expect(zoneOffsetMinutes(zone, ms)).toBe(exactOffset(zone, ms));
      }
    }
    const beforeSkip = DateTime.fromISO('2011-12-29T12:00:00', { zone: 'Pacific/Apia' });
    expect(calendarDaysBetween(beforeSkip, beforeSkip.plus({ hours: 24 }), 'Pacific/Apia')).toBe(2);
  });

  it('gives the same calendar days, dates and message dates as setting the zone each time, for any instants and zones', () => {
    const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }));
    fc.assert(
      fc.property(instant, instant, fc.constantFrom(...ZONES), (from, to, zone) => {
        expect(calendarDaysBetween(from, to, zone)).toBe(exactDays(from, to, zone));
        expect(formatDate(to, zone)).toBe(to.setZone(zone).toFormat('yyyy-MM-dd'));
        expect(formatDateTime(to, zone)).toContain(to.setZone(zone).setLocale('en-US').toFormat('cccc d LLLL yyyy, HH:mm'));
      }),
      { numRuns: 2000 },
    );
  });
});

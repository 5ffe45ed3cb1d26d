// The daemon's schedule: the next cron run after an instant, in the configured zone, across daylight-saving changes.
import { DateTime } from 'luxon';
import cron from 'node-cron';
import { cronSchedule, nextRunAfter } from '../../src/daemon/schedule';

const at = (iso: string, zone = 'Europe/Paris'): DateTime => DateTime.fromISO(iso, { zone });
const next = (expression: string, after: DateTime, zone = 'Europe/Paris'): string | null =>
  nextRunAfter(cronSchedule(expression, zone), after)?.setZone(zone).toISO({ suppressMilliseconds: true }) ?? null;

describe('the next scheduled run after an instant', () => {
  it('is the same day when the time is still ahead, else the next matching day, in the configured zone', () => {
    expect(next('0 9 * * *', at('2027-01-10T08:59'))).toBe('2027-01-10T09:00:00+01:00');
    expect(next('0 9 * * *', at('2027-01-10T09:00'))).toBe('2027-01-11T09:00:00+01:00');
    expect(next('0 9 * * *', at('2027-01-10T09:00', 'America/New_York'), 'America/New_York')).toBe('2027-01-11T09:00:00-05:00');
    expect(next('*/20 * * * * *', at('2027-01-10T09:00:41'))).toBe('2027-01-10T09:01:00+01:00');
  });

  it('follows weekdays, last days of months and nth weekdays', () => {
    expect(next('0 9 * * MON-FRI', at('2027-01-08T10:00'))).toBe('2027-01-11T09:00:00+01:00'); // Friday → Monday
    expect(next('0 9 L * *', at('2027-02-01T00:00'))).toBe('2027-02-28T09:00:00+01:00');
    expect(next('0 9 * * 1#2', at('2027-03-01T00:00'))).toBe('2027-03-08T09:00:00+01:00');
    expect(next('0 9 * * 5L', at('2027-03-01T00:00'))).toBe('2027-03-26T09:00:00+01:00');
  });

  it('crosses daylight-saving changes by local time', () => {
    expect(next('0 9 * * *', at('2027-03-27T10:00'))).toBe('2027-03-28T09:00:00+02:00');
    expect(next('0 9 * * *', at('2027-10-30T10:00'))).toBe('2027-10-31T09:00:00+01:00');
  });

  it.each(['0 9 * * *', '30 */4 * * *', '0 9 * * 1-5', '0 0 1 * *', '15 10 L * *', '0 8 * * 0', '0 12 29 2 *'])(
    'agrees with node-cron for %j',
    (expression) => {
      const task = cron.createTask(expression, () => undefined, { timezone: 'Europe/Paris' });
      try {
        const now = DateTime.utc();
        const expected = task.getNextRuns(4).map((d) => d.toISOString());
        const schedule = cronSchedule(expression, 'Europe/Paris');
        const ours: string[] = [];
        let from: DateTime | null = now;
        for (let i = 0; i < 4 && from !== null; i++) {
          from = nextRunAfter(schedule, from);
          if (from !== null) ours.push(from.toJSDate().toISOString());
        }
        expect(ours).toEqual(expected);
      } finally {
        void task.destroy();
      }
    },
  );
});

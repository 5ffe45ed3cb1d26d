// When the cron schedule fires next after a given instant, in the configured zone. Pure: health uses it with the
// injected clock to tell whether a scheduled scan is overdue (node-cron only answers "next run after the wall clock").
// Fields are expanded by node-cron's own parser, so both agree on what an expression means.
import { DateTime } from 'luxon';
import { parse } from 'node-cron';

type DayField = readonly (number | string)[];

export interface CronSchedule {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: DayField;
  readonly months: readonly number[];
  readonly daysOfWeek: DayField;
  readonly zone: string;
}

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export function cronSchedule(expression: string, zone: string): CronSchedule {
  const fields = parse(expression.trim());
  return {
    seconds: ascending(fields.second),
    minutes: ascending(fields.minute),
    hours: ascending(fields.hour),
    daysOfMonth: fields.dayOfMonth,
    months: fields.month,
    daysOfWeek: fields.dayOfWeek,
    zone,
  };
}

/** The first instant strictly after `after` at which the schedule fires, or null within the next 5 years. */
export function nextRunAfter(schedule: CronSchedule, after: DateTime): DateTime | null {
  const start = after.setZone(schedule.zone);
  let day = start.startOf('day');
  for (let i = 0; i < 366 * 5; i++, day = day.plus({ days: 1 })) {
    if (!schedule.months.includes(day.month) || !matchesDay(schedule, day)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        for (const second of schedule.seconds) {
          const candidate = DateTime.fromObject(
            { year: day.year, month: day.month, day: day.day, hour, minute, second },
            { zone: schedule.zone },
          );
          // A local time skipped by a DST change is moved forward by luxon; it still counts for that day.
          if (candidate.isValid && candidate > after && candidate.day === day.day) return candidate.toUTC();
        }
      }
    }
  }
  return null;
}

function matchesDay(schedule: CronSchedule, day: DateTime): boolean {
  const weekday = day.weekday % 7; // luxon: Monday 1 … Sunday 7; cron: Sunday 0
  return (
    schedule.daysOfMonth.some((value) => matchesDayOfMonth(value, day)) &&
    schedule.daysOfWeek.some((value) => matchesDayOfWeek(value, day, weekday))
  );
}

/** Day-of-month values: a number, `L` (last day), `L-n`, `nW` / `LW` (nearest weekday). */
function matchesDayOfMonth(value: number | string, day: DateTime): boolean {
  if (typeof value === 'number') return value === day.day;
  const last = day.daysInMonth ?? 31;
  const text = value.toUpperCase();
  if (text === 'L') return day.day === last;
  const offset = /^L-(\d+)$/.exec(text);
  if (offset !== null) return day.day === last - Number(offset[1]);
  const weekday = /^(L|\d+)W$/.exec(text);
  if (weekday !== null) return nearestWeekday(day, weekday[1] === 'L' ? last : Number(weekday[1])) === day.day;
  return false;
}

function nearestWeekday(day: DateTime, target: number): number {
  const last = day.daysInMonth ?? 31;
  if (target < 1 || target > last) return -1;
  const weekday = day.set({ day: target }).weekday; // 6 Saturday, 7 Sunday
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 7) return target === last ? target - 2 : target + 1;
  return target;
}

/** Day-of-week values: a number (0 Sunday), `nL` (last such weekday of the month), `n#k` (k-th of the month). */
function matchesDayOfWeek(value: number | string, day: DateTime, weekday: number): boolean {
  if (typeof value === 'number') return value % 7 === weekday;
  const lastOf = /^([0-7])L$/i.exec(value);
  if (lastOf !== null) return Number(lastOf[1]) % 7 === weekday && day.day + 7 > (day.daysInMonth ?? 31);
  const nth = /^([0-7])#([1-5])$/.exec(value);
  if (nth !== null) return Number(nth[1]) % 7 === weekday && Math.floor((day.day - 1) / 7) + 1 === Number(nth[2]);
  return false;
}

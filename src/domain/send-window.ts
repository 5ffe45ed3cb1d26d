// The send window (quiet hours): when reminders may go out, in the configured zone, and when the window next opens.
// Pure: wall-clock times in an IANA zone, DST-correct (a nonexistent opening time moves to the first instant after it).
import { DateTime } from 'luxon';
import { InputError, quoted } from '../errors';
import type { Alert } from './alert';

/** Luxon weekday numbers: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const ALL_WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Daily hours, as minutes after local midnight; `end` < `start` spans midnight (22:00-06:00), `end` may be 1440. */
export interface DailyHours {
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface SendWindow {
  readonly hours: DailyHours;
  /** Days on which the window opens; an overnight window belongs to the day it opens on. */
  readonly days: readonly Weekday[];
}

/** Which reminders go out at once even outside the window. */
export interface SendWindowBypass {
  readonly expired: boolean;
  readonly renewed: boolean;
  /** The token's smallest threshold (the 7-day reminder with the default thresholds). */
  readonly smallest: boolean;
  /** These thresholds in days. */
  readonly thresholds: readonly number[];
}

export const DEFAULT_BYPASS: SendWindowBypass = Object.freeze({ expired: true, renewed: false, smallest: true, thresholds: Object.freeze([]) });

export interface SendWindowPolicy {
  readonly window: SendWindow;
  readonly bypass: SendWindowBypass;
}

const HOURS = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const HOURS_EXPECTED = '(expected HH:MM-HH:MM in the configured zone, e.g. 08:00-18:00 or 22:00-06:00)';

/** Parses `08:00-18:00`; `24:00` is allowed as an end. `where` names the setting in the one-line error. */
export function parseDailyHours(text: string, where: string): DailyHours {
  const match = HOURS.exec(text.trim());
  if (match === null) throw new InputError(`${where}: ${quoted(text)} is not a time range ${HOURS_EXPECTED}`);
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (h1 > 23 || m1 > 59 || m2 > 59 || h2 > 24 || end > 1440) {
    throw new InputError(`${where}: ${quoted(text)} has a time that does not exist ${HOURS_EXPECTED}`);
  }
  if (start === end || (start === 0 && end === 1440)) {
    throw new InputError(`${where}: ${quoted(text)} starts where it ends (expected a shorter range, or leave the setting unset to send at any time)`);
  }
  return { startMinute: start, endMinute: end };
}

/** Parses `mon-fri`, `mon,wed,fri`, `sat-sun`…; at least one day. */
export function parseWeekdays(text: string, where: string): Weekday[] {
  const expected = '(expected day names mon, tue, wed, thu, fri, sat, sun as a list or range, e.g. mon-fri)';
  const days = new Set<Weekday>();
  const indexOf = (name: string): Weekday => {
    const index = (WEEKDAY_NAMES as readonly string[]).indexOf(name.trim().toLowerCase());
    if (index < 0) throw new InputError(`${where}: ${quoted(name.trim())} is not a day ${expected}`);
    return (index + 1) as Weekday;
  };
  for (const part of text.split(',')) {
    if (part.trim() === '') throw new InputError(`${where}: ${quoted(text)} has an empty item ${expected}`);
    const [from, to, extra] = part.split('-');
    if (extra !== undefined) throw new InputError(`${where}: ${quoted(part.trim())} is not a day or a range ${expected}`);
    const first = indexOf(from ?? '');
    const last = to === undefined ? first : indexOf(to);
    if (last < first) throw new InputError(`${where}: ${quoted(part.trim())} runs backwards ${expected}`);
    for (let day = first; day <= last; day += 1) days.add(day);
  }
  return [...days].sort((a, b) => a - b);
}

/** Parses `expired,7`, `expired,smallest`, `none`… */
export function parseBypass(text: string, where: string): SendWindowBypass {
  const expected = '(expected "none" or a list of expired, renewed, smallest and thresholds in days, e.g. expired,7)';
  const items = text.split(',').map((item) => item.trim().toLowerCase());
  if (items.length === 1 && items[0] === 'none') return { expired: false, renewed: false, smallest: false, thresholds: [] };
  const bypass = { expired: false, renewed: false, smallest: false, thresholds: [] as number[] };
  for (const item of items) {
    if (item === 'expired' || item === 'renewed' || item === 'smallest') bypass[item] = true;
    else if (/^\d{1,4}$/.test(item) && Number(item) >= 1 && Number(item) <= 3650) bypass.thresholds.push(Number(item));
    else throw new InputError(`${where}: ${quoted(item)} is not an alert ${expected}`);
  }
  return bypass;
}

/**
 * Whether `alert` goes out at once whatever the time. `smallestThreshold` is the smallest threshold that applies to
 * the token (its own or the global ones). A test message always goes at once; an alert that a token is invalid before
 * its date counts as an expired one; a source's alerts wait for the window.
 */
export function bypassesWindow(alert: Alert, smallestThreshold: number, bypass: SendWindowBypass): boolean {
  switch (alert.kind) {
    case 'expired':
    case 'invalid':
      return bypass.expired;
    case 'renewed':
      return bypass.renewed;
    case 'test':
      return true;
    case 'threshold':
      return (bypass.smallest && alert.days === smallestThreshold) || bypass.thresholds.includes(alert.days);
    case 'source-stale':
    case 'source-recovered':
      return false;
  }
}

const minuteOfDay = (local: DateTime): number => local.hour * 60 + local.minute;

/** Whether the window is open at `at`, read in `zone`. */
export function isWindowOpen(window: SendWindow, at: DateTime, zone: string): boolean {
  const local = at.setZone(zone);
  const minute = minuteOfDay(local);
  const { startMinute, endMinute } = window.hours;
  if (startMinute < endMinute) return minute >= startMinute && minute < endMinute && window.days.includes(local.weekday as Weekday);
  // Overnight: the evening part belongs to today, the morning part to the day before.
  if (minute >= startMinute) return window.days.includes(local.weekday as Weekday);
  if (minute < endMinute) return window.days.includes(local.minus({ days: 1 }).weekday as Weekday);
  return false;
}

/** `at` when the window is open then, else the next instant it opens (the opening time on an allowed day, in `zone`). */
export function nextWindowOpening(window: SendWindow, at: DateTime, zone: string): DateTime {
  if (isWindowOpen(window, at, zone)) return at;
  const today = at.setZone(zone).startOf('day');
  const hour = Math.floor(window.hours.startMinute / 60);
  const minute = window.hours.startMinute % 60;
  // A nonexistent local time (spring forward) moves to the instant after; a window wholly inside the skipped hour
  // does not open that day, so look up to two weeks ahead (a one-day window can lose one week to that).
  for (let offset = 0; offset <= 15; offset += 1) {
    const day = today.plus({ days: offset });
    const opening = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
    if (opening > at && isWindowOpen(window, opening, zone)) return opening.toUTC();
  }
  // Only a window with no day at all could get here; config refuses one.
  throw new Error('the send window never opens');
}

/** When a reminder recorded at `now` is first tried: at once when it bypasses the window or the window is open. */
export function firstAttemptAt(policy: SendWindowPolicy | null, alert: Alert, smallestThreshold: number, now: DateTime, zone: string): DateTime {
  if (policy === null || bypassesWindow(alert, smallestThreshold, policy.bypass)) return now;
  return nextWindowOpening(policy.window, now, zone);
}

/** `08:00-18:00`, as the setting is written. */
export function formatDailyHours(hours: DailyHours): string {
  const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${hhmm(hours.startMinute)}-${hhmm(hours.endMinute)}`;
}

/** `mon,tue,wed`. */
export function formatWeekdays(days: readonly Weekday[]): string {
  return days.map((day) => WEEKDAY_NAMES[day - 1]).join(',');
}

/** `expired,smallest`, or `none`. */
export function formatBypass(bypass: SendWindowBypass): string {
  const items = [
    ...(bypass.expired ? ['expired'] : []),
    ...(bypass.renewed ? ['renewed'] : []),
    ...(bypass.smallest ? ['smallest'] : []),
    ...bypass.thresholds.map(String),
  ];
  return items.length === 0 ? 'none' : items.join(',');
}

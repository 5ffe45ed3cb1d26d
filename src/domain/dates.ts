// Dates as an administrator means them: calendar days in one IANA zone, 12-month expiry, strict parsing. Pure.
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { InputError, quoted } from '../errors';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 date and time; the offset may be Z, +hh:mm or +hhmm (Apple writes -0800), or absent (then the zone's).
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Whether `zone` is an IANA time zone name luxon and the platform know (e.g. Europe/Paris, UTC). */
export function isValidZone(zone: string): boolean {
  return zone.trim() === zone && zone !== '' && IANAZone.isValidZone(zone);
}

/** Every date tokenwatch accepts lies in these years: one range for every date input (and a year after the last one,
 * the expiry of a token downloaded that day, still has four digits). */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 9998;
const RANGE = `expected a date from ${FIRST_YEAR}-01-01 to ${LAST_YEAR}-12-31`;

function isInRange(instant: DateTime, zone: string): boolean {
  const year = instant.setZone(zone).year;
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/**
 * Parses an administrator's date: `YYYY-MM-DD` is midnight in `zone`; a full ISO 8601 date-time keeps its offset,
 * or is read in `zone` when it has none. Returns UTC. `what` names the input in the one-line error.
 */
export function parseDateInput(text: string, zone: string, what: string): DateTime {
  const expected = '(expected YYYY-MM-DD or an ISO 8601 date-time such as 2027-01-15T09:00:00+01:00)';
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly !== null) {
    const parsed = DateTime.fromObject(
      { year: Number(dateOnly[1]), month: Number(dateOnly[2]), day: Number(dateOnly[3]) },
      { zone },
    );
    if (!parsed.isValid) throw new InputError(`${what}: ${quoted(text)} is not a calendar date ${expected}`);
    if (!isInRange(parsed, zone)) throw new InputError(`${what}: ${quoted(text)} is out of range (${RANGE})`);
    return parsed.toUTC();
  }
  const parsed = parseDateTime(text, zone);
  if (parsed === null) throw new InputError(`${what}: ${quoted(text)} is not a date ${expected}`);
  if (!isInRange(parsed, zone)) throw new InputError(`${what}: ${quoted(text)} is out of range (${RANGE})`);
  return parsed;
}

/** Parses the `expDate` of an Apple token file, e.g. `2027-11-24T10:15:30-0800`; an offset (or Z) is required. */
export function parseAppleExpiry(text: string): DateTime | null {
  const parsed = parseDateTime(text, 'UTC', true);
  return parsed === null || !isInRange(parsed, 'UTC') ? null : parsed;
}

function parseDateTime(text: string, zone: string, needsOffset = false): DateTime | null {
  const match = DATE_TIME.exec(text);
  if (match === null) return null;
  const [, date, time, offset] = match;
  if (needsOffset && offset === undefined) return null;
  const normalizedOffset = offset === undefined || offset === 'Z' ? (offset ?? '') : normalizeOffset(offset);
  if (normalizedOffset === null) return null;
  const parsed = DateTime.fromISO(`${date ?? ''}T${(time ?? '').replace(',', '.')}${normalizedOffset}`, { zone });
  if (!parsed.isValid) return null;
  return parsed.toUTC();
}

/** `-0800` and `-08` become `-08:00`; null for offsets no place on Earth uses (beyond ±14:00). */
function normalizeOffset(offset: string): string | null {
  const sign = offset[0] ?? '+';
  const digits = offset.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2) || '00';
  if (Number(hours) > 14 || Number(minutes) > 59) return null;
  return `${sign}${hours}:${minutes}`;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Each zone's luxon Zone (IANA, or fixed such as UTC), made once per name. */
const zones = new Map<string, Zone>();
/** Each zone's UTC offset per hour of UTC (hours since the epoch), for the hours with no offset change inside. */
const hourOffsets = new Map<string, Map<number, number>>();
/** Hours remembered per zone before the memory is cleared: a scan needs a few hundred. */
const MAX_REMEMBERED_HOURS = 100_000;

function zoneNamed(zone: string): Zone {
  let found = zones.get(zone);
  if (found === undefined) {
    found = DateTime.fromMillis(0, { zone }).zone;
    zones.set(zone, found);
  }
  return found;
}

/**
 * The UTC offset of `zone` at instant `ms`, in minutes, as luxon computes it. Asking the platform (Intl) is what made a
 * scan slow (twice per token: today and the expiry); the answer is the same for a whole hour unless the offset changes
 * within it, so it is remembered per hour of UTC once the offsets at the hour's first and last millisecond agree
 * (offsets change at most once within an hour: the tz database has no two changes that close). An hour holding a
 * change is asked about each time.
 */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let byHour = hourOffsets.get(zone);
  const known = byHour?.get(hour);
  if (known !== undefined) return known;
  const named = zoneNamed(zone);
  const first = named.offset(hour * HOUR_MS);
  const last = named.offset(hour * HOUR_MS + HOUR_MS - 1);
  if (first !== last || !Number.isFinite(first)) return named.offset(ms);
  if (byHour === undefined) {
    byHour = new Map();
    hourOffsets.set(zone, byHour);
  }
  if (byHour.size >= MAX_REMEMBERED_HOURS) byHour.clear();
  byHour.set(hour, first);
  return first;
}

/** The day number (days since 1970-01-01) of the calendar date `instant` falls on in `zone`. */
function localDayNumber(instant: DateTime, zone: string): number {
  const ms = instant.toMillis();
  return Math.floor((ms + zoneOffsetMinutes(zone, ms) * 60_000) / DAY_MS);
}

/** `instant` in `zone`, for formatting: the same fields as `setZone(zone)` gives, without asking Intl again. */
function inZone(instant: DateTime, zone: string): DateTime {
  return instant.setZone(FixedOffsetZone.instance(zoneOffsetMinutes(zone, instant.toMillis())));
}

/** Calendar days from `from` to `to`, both taken as dates in `zone` (DST-proof: counts dates, not hours). */
export function calendarDaysBetween(from: DateTime, to: DateTime, zone: string): number {
  return localDayNumber(to, zone) - localDayNumber(from, zone);
}

/** Calendar days left until the expiry date, from today, in `zone`: 0 on the expiry day, negative after it. */
export function daysLeft(expiresAt: DateTime, now: DateTime, zone: string): number {
  return calendarDaysBetween(now, expiresAt, zone);
}

/** A token expires 12 months after it was downloaded (29 February + 12 months is 28 February). */
export function expiryFromDownload(downloadedAt: DateTime, zone: string): DateTime {
  return downloadedAt.setZone(zone).plus({ months: 12 }).toUTC();
}

/** `2027-01-15` in `zone`. */
export function formatDate(instant: DateTime, zone: string): string {
  return inZone(instant, zone).toFormat('yyyy-MM-dd');
}

/** `2027-01-15 09:00 (Europe/Paris)`: compact, for terminal tables and CLI output. */
export function formatDateTimeCompact(instant: DateTime, zone: string): string {
  return `${instant.setZone(zone).toFormat('yyyy-MM-dd HH:mm')} (${zone})`;
}

/**
 * The expiry as a reader of a message understands it: `Friday 15 January 2027, 09:00 CET (Europe/Paris)`.
 * Weekday, day, month name and year (no 01/02 ambiguity), 24-hour time, the zone's abbreviation for that
 * instant (CET in winter, CEST in summer) and the IANA name, so a reader elsewhere knows the reference zone.
 */
export function formatDateTime(instant: DateTime, zone: string): string {
  const local = inZone(instant, zone);
  // en-US: Luxon spells English weekday and month names itself for it (no Intl call); the pattern fixes the order.
  const abbreviation = abbreviationAt(zone, local.offset, instant);
  // "UTC (UTC)" would say the same thing twice.
  const name = abbreviation === zone ? '' : ` (${zone})`;
  return `${local.setLocale('en-US').toFormat('cccc d LLLL yyyy, HH:mm')} ${abbreviation}${name}`;
}

/**
 * The zone's short name at that instant: a letter abbreviation when the platform knows one (CET, CEST, EST, BST,
 * UTC), else the offset as `GMT+9` / `GMT-3:30`. Never "UTC" unless the offset is zero.
 */
export function zoneAbbreviation(local: DateTime): string {
  return abbreviationAt(local.zoneName ?? 'UTC', local.offset, local);
}

/** zoneAbbreviation of `zone` at `instant`, whose offset there is `offset` minutes. */
function abbreviationAt(zone: string, offset: number, instant: DateTime): string {
  // The name depends only on the zone and its offset at that instant (CET, CEST): found once per pair.
  const key = `${zone} ${offset}`;
  let name = abbreviations.get(key);
  if (name === undefined) {
    name = findZoneAbbreviation(instant.setZone(zone));
    abbreviations.set(key, name);
  }
  return name;
}

const abbreviations = new Map<string, string>();

function findZoneAbbreviation(local: DateTime): string {
  const zone = local.zoneName ?? 'UTC';
  const at = local.toJSDate();
  for (const locale of ['en-US', 'en-GB']) {
    const name = zoneNameFormat(locale, zone)
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value;
    if (name !== undefined && /^[A-Z]{2,5}$/.test(name) && (local.offset === 0 || !/^(UTC|GMT|UT|Z)$/.test(name))) return name;
  }
  const sign = local.offset < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(local.offset) / 60);
  const minutes = Math.abs(local.offset) % 60;
  return local.offset === 0 ? 'GMT' : `GMT${sign}${hours}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

/** Intl formatters are costly to build (a scan names a zone thousands of times): one per locale and zone. */
const zoneNameFormats = new Map<string, Intl.DateTimeFormat>();

function zoneNameFormat(locale: string, zone: string): Intl.DateTimeFormat {
  const key = `${locale} ${zone}`;
  let format = zoneNameFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    zoneNameFormats.set(key, format);
  }
  return format;
}

/** `in 30 days`, `in 1 day`, `today`, `1 day ago`, `3 days ago`: calendar days, as `daysLeft` counts them. */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  const count = Math.abs(days);
  const unit = count === 1 ? 'day' : 'days';
  return days > 0 ? `in ${count} ${unit}` : `${count} ${unit} ago`;
}

/**
 * daysLeft for many expiries at once, cheaper when they are sorted (soonest first): the zone is consulted once per
 * calendar day crossed rather than once per token. Gives the same answers as daysLeft for any order.
 */
export function daysLeftOfSorted(expiries: readonly DateTime[], now: DateTime, zone: string): number[] {
  const today = now.setZone(zone).startOf('day');
  const dayStart = (k: number): number => today.plus({ days: k }).toMillis();
  const result: number[] = [];
  let day: number | null = null;
  let start = 0;
  let end = 0;
  for (const expiry of expiries) {
    const at = expiry.toMillis();
    if (day === null || at < start || at - end > 3 * 86_400_000) {
      day = daysLeft(expiry, now, zone);
      start = dayStart(day);
      end = dayStart(day + 1);
    }
    while (at >= end) {
      day += 1;
      start = end;
      end = dayStart(day + 1);
    }
    result.push(day);
  }
  return result;
}

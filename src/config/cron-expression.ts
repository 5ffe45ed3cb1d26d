// Whether TOKENWATCH_SCHEDULE is a cron expression node-cron accepts. Every command validates the whole config at
// start, but only the daemon runs the schedule, and loading node-cron (one 70 KB bundle that also loads node:crypto)
// costs about a quarter of a bare Node start (1.28x, paired, with commander loaded in both). The plain forms almost
// every schedule uses (numbers, `*`, ranges, steps, lists) are recognised here; anything else (month and day names,
// nicknames such as @daily, L, W, #, ?, wrapped ranges, out-of-range values) is left to node-cron's own
// validateDetailed, loaded only then. The recognised forms are a subset of what node-cron accepts
// (test/config/cron-expression.test.ts checks this against node-cron on random expressions), so every expression is
// accepted or refused exactly as before.
import type nodeCron from 'node-cron';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadNodeCron = (): typeof nodeCron => require('node-cron') as typeof nodeCron;

interface Bounds {
  readonly min: number;
  readonly max: number;
}

const SECOND: Bounds = { min: 0, max: 59 };
const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DAY_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12 };
// node-cron reads 7 as Sunday, like 0.
const DAY_OF_WEEK: Bounds = { min: 0, max: 7 };

/** Every month has at least this many days (February in a leap year), so any day up to it fits some month. */
const DAYS_IN_EVERY_MONTH = 29;

// `*`, `*/step`, `n`, `a-b`, `a-b/step`: digits only, so no name, nickname or modifier gets here.
const PLAIN_TOKEN = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/**
 * The smallest value `field` (a comma-separated list of plain tokens) can take, or null when some token is not a
 * plain one within `bounds` (a step of 0, a range running backwards, a number out of range, a step after a lone number).
 */
function plainFieldStart(field: string, bounds: Bounds): number | null {
  let start = Number.POSITIVE_INFINITY;
  for (const token of field.split(',')) {
    const match = PLAIN_TOKEN.exec(token);
    if (match === null) return null;
    const [, star, first, last, step] = match;
    if (step !== undefined && Number(step) < 1) return null;
    if (star !== undefined) {
      start = Math.min(start, bounds.min);
      continue;
    }
    const from = Number(first);
    const to = last === undefined ? from : Number(last);
    if (last === undefined && step !== undefined) return null; // `5/15`: node-cron's own reading, left to it
    if (from < bounds.min || to > bounds.max || from > to) return null;
    start = Math.min(start, from);
  }
  return start;
}

/**
 * True when `expression` (trimmed) is a plain cron expression node-cron accepts: five fields (minute hour day month
 * weekday) or six (with seconds first), separated by spaces. False means "not recognised here", not "invalid".
 */
export function isPlainCronExpression(expression: string): boolean {
  const fields = expression.split(/ +/);
  const bounds = fields.length === 6 ? [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK] : [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
  if (fields.length !== bounds.length) return false;
  const starts = fields.map((field, index) => plainFieldStart(field, bounds[index] ?? SECOND));
  if (starts.some((start) => start === null)) return false;
  // node-cron refuses a day no chosen month has (`0 9 31 2 *`); a first day up to 29 fits every month.
  const firstDay = starts[fields.length - 3] ?? Number.POSITIVE_INFINITY;
  return firstDay <= DAYS_IN_EVERY_MONTH;
}

// A range, its start a number or a month or weekday name (node-cron turns those into 0-12 before expanding ranges).
const RANGE_TOKEN = /^([a-z]+|\d+)-(\d+)(?:\/(\d+))?$/i;
/** More values than any field has (seconds and minutes: 60): one of them is then out of range. */
const MOST_VALUES = 60;

/**
 * Whether some range of `expression` holds more values than any field can: such an expression is never valid, and
 * node-cron 4.6 expands every range into an array before checking it, so `0-99999999999` ran the process out of
 * memory with a fatal V8 error instead of a one-line refusal.
 */
function hasOversizedRange(expression: string): boolean {
  return expression.split(/[\s,]+/).some((token) => {
    const match = RANGE_TOKEN.exec(token);
    if (match === null) return false;
    const [, first = '', last = '', step = '1'] = match;
    const from = /^\d+$/.test(first) ? Number(first) : 12;
    const by = Number(step);
    // A step below 1 is not expanded by node-cron (it refuses the token), and a backward range wraps within the field.
    return by >= 1 && Number(last) - from >= MOST_VALUES * by;
  });
}

/** Whether node-cron will run `expression` (trimmed): plain forms answered here, the rest by node-cron itself. */
export function isValidCronExpression(expression: string): boolean {
  if (isPlainCronExpression(expression)) return true;
  return !hasOversizedRange(expression) && loadNodeCron().validateDetailed(expression).valid;
}

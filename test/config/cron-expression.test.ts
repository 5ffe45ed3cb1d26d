// The schedule check without node-cron: the plain cron forms recognised in src/config/cron-expression.ts are accepted
// by node-cron too (on random expressions and on the usual schedules), everything else is still answered by node-cron
// (ranges too long for any field refused first, as node-cron would, without the crash), and a bad schedule is still
// refused by every command that reads the config (list, scan, the daemon: exit 2; doctor reports it).
import path from 'node:path';
import fc from 'fast-check';
import { validateDetailed } from 'node-cron';
import { loadConfig } from '../../src/config';
import { isPlainCronExpression, isValidCronExpression } from '../../src/config/cron-expression';
import { inputErrorFrom } from '../support/input-error';
import { assertBuilt, runTokenwatch } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

const nodeCronAccepts = (expression: string): boolean => validateDetailed(expression).valid;

/**
 * Expressions made of the characters the plain forms use, mostly near the fields' bounds (0, 1, 7, 12, 23, 29-32, 59,
 * 60), with some tokens the plain forms do not cover. (No huge numbers in ranges: node-cron 4.6 expands
 * `0-99999999999` into an array until V8 gives up.)
 */
const number = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 12 }).map(String), weight: 6 },
  { arbitrary: fc.constantFrom('00', '007', '13', '23', '24', '28', '29', '30', '31', '32', '59', '60'), weight: 3 },
);
const token = fc.oneof(
  { arbitrary: fc.constant('*'), weight: 4 },
  { arbitrary: number, weight: 6 },
  { arbitrary: fc.tuple(number, number).map(([a, b]) => `${a}-${b}`), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('*', '1-5', '0-7', '12-1', '5'), fc.constantFrom('0', '1', '2', '15', '00', '100')).map(([a, s]) => `${a}/${s}`), weight: 2 },
  { arbitrary: fc.constantFrom('99999999999999999999', '', '-', '*-1', '1-', '/2', 'L', '1W', 'mon', 'jan', '?', '1#2', '5L'), weight: 1 },
);
/** Ranges longer than any field (up to a few thousand values, which node-cron still expands without running out). */
const longRange = fc
  .tuple(fc.oneof(fc.integer({ min: 0, max: 70 }).map(String), fc.constantFrom('jan', 'dec', 'sun', 'sat', 'mon', 'foo', 'L')), fc.integer({ min: 0, max: 3000 }), fc.constantFrom('', '/1', '/2', '/7', '/50', '/0'))
  .map(([first, last, step]) => `${first}-${last}${step}`);
const field = fc.oneof({ arbitrary: token, weight: 4 }, { arbitrary: fc.array(token, { minLength: 2, maxLength: 3 }).map((tokens) => tokens.join(',')), weight: 1 });
const expression = fc
  .tuple(fc.constantFrom(5, 5, 6, 6, 4, 7).chain((count) => fc.array(field, { minLength: count, maxLength: count })), fc.constantFrom(' ', '  '))
  .map(([fields, separator]) => fields.join(separator));

describe('checking the schedule without loading node-cron', () => {
  it('recognises only expressions node-cron accepts', () => {
    let plain = 0;
    fc.assert(
      fc.property(expression, (text) => {
        if (!isPlainCronExpression(text)) return;
        plain += 1;
        expect(nodeCronAccepts(text)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // The generator must reach the recognised forms often enough for the property to mean something.
    expect(plain).toBeGreaterThan(300);
  });

  it('gives the same answer as node-cron on any expression, plain or not', () => {
    const withLongRanges = fc
      .tuple(fc.array(fc.oneof(field, longRange), { minLength: 5, maxLength: 6 }), fc.constantFrom(' ', '  '))
      .map(([fields, separator]) => fields.join(separator));
    fc.assert(
      fc.property(fc.oneof(expression, withLongRanges, fc.string()), (text) => {
        expect(isValidCronExpression(text.trim())).toBe(nodeCronAccepts(text.trim()));
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses a range longer than any field exactly when node-cron refuses it, in every field', () => {
    // A month name elsewhere keeps the expression from being a plain one, so that node-cron answers.
    const placed = fc.tuple(longRange, fc.integer({ min: 0, max: 5 })).map(([range, at]) => {
      const fields = ['0', '*', '9', '*', 'jan', '*'];
      fields[at] = range;
      return fields.join(' ');
    });
    let valid = 0;
    fc.assert(
      fc.property(placed, (text) => {
        const isValid = nodeCronAccepts(text);
        if (isValid) valid += 1;
        expect(isValidCronExpression(text)).toBe(isValid);
      }),
      { numRuns: 5_000 },
    );
    expect(valid).toBeGreaterThan(100);
  });

  it('recognises the schedules administrators usually write, so that they never need node-cron', () => {
    for (const text of ['0 9 * * *', '30 8 * * 1-5', '*/15 * * * *', '0 9,17 * * *', '0 0 1 * *', '0 9 * * 0,6', '*/2 * * * * *', '0  9 * * 7', '0 9 29 2 *']) {
      expect({ text, isPlain: isPlainCronExpression(text) }).toEqual({ text, isPlain: true });
    }
  });

  it('leaves names, nicknames, modifiers and impossible days to node-cron, which still decides them', () => {
    const cases: readonly [string, boolean][] = [
      ['0 9 * * mon-fri', true],
      ['@daily', true],
      ['0 9 L * *', true],
      ['0 9 31 2 *', false],
      ['0 9 30 2 *', false],
      ['0 9 30 1,2 *', true],
      ['0 24 * * *', false],
      ['*/0 * * * *', false],
      ['every day', false],
      ['0 9 * *', false],
    ];
    for (const [text, isValid] of cases) {
      expect({ text, isPlain: isPlainCronExpression(text), isValid: isValidCronExpression(text) }).toEqual({ text, isPlain: false, isValid });
    }
  });

  it('refuses a bad schedule in the config with the setting named, as before', () => {
    const error = inputErrorFrom(() => loadConfig({ env: { TOKENWATCH_TZ: 'Europe/Paris', TOKENWATCH_SCHEDULE: '0 9 31 2 *' }, cwd: '/' }));
    expect(error).toBe('TOKENWATCH_SCHEDULE: "0 9 31 2 *" is not a cron expression (expected e.g. "0 9 * * *": minute hour day month weekday)');
  });
});

describe('a bad schedule, whatever the command', () => {
  let dir: string;
  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  const MESSAGE = 'TOKENWATCH_SCHEDULE: "0 25 * * *" is not a cron expression (expected e.g. "0 9 * * *": minute hour day month weekday)';
  const env = (): Record<string, string> => ({
    TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
    TOKENWATCH_TZ: 'Europe/Paris',
    TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
    TOKENWATCH_SCHEDULE: '0 25 * * *',
  });

  it.each([['list'], ['daemon'], ['scan', '--dry-run']])('makes `tokenwatch %s` exit 2 with one line naming the setting', async (...args) => {
    const result = await runTokenwatch(args, env(), dir);
    expect(result).toMatchObject({ code: 2, stderr: `tokenwatch: ${MESSAGE}\n` });
  });

  it('refuses a range longer than any field in one line, where node-cron ran out of memory expanding it', async () => {
    for (const schedule of ['0-99999999999 * * * *', '0 9 * * sun-99999999999']) {
      const result = await runTokenwatch(['list'], { ...env(), TOKENWATCH_SCHEDULE: schedule }, dir);
      expect(result).toMatchObject({ code: 2, stderr: `tokenwatch: TOKENWATCH_SCHEDULE: "${schedule}" is not a cron expression (expected e.g. "0 9 * * *": minute hour day month weekday)\n` });
    }
  });

  it('makes doctor report the config as failed, naming the setting, and exit 1', async () => {
    const result = await runTokenwatch(['doctor'], env(), dir);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toContainEqual(expect.stringMatching(/^config +failed +TOKENWATCH_SCHEDULE: "0 25 \* \* \*" is not a cron expression \(expected/));
  });
});

// The registry figures behind /metrics and the status page, on a real SQLite file, against the pure definitions.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { tokenState } from '../../src/domain/token-state';
import { openDatabase } from '../../src/store/database';
import { RegistryStats } from '../../src/store/registry-stats';
import { TokenRepository } from '../../src/store/token-repository';
import { tokenInput } from '../support/engine';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('registry figures', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('count tokens per state and list the soonest exactly as tokenState and a full sort would, own thresholds included', () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            hours: fc.integer({ min: -40 * 24, max: 200 * 24 }),
            own: fc.option(fc.constantFrom([90, 14], [45], [30, 7, 1]), { nil: null }),
          }),
          { maxLength: 25 },
        ),
        fc.integer({ min: 0, max: 48 }),
        fc.integer({ min: 1, max: 30 }),
        (specs, nowHour, limit) => {
          const db = openDatabase(`${dir}/r${run++}.db`);
          try {
            const now = DateTime.fromISO('2027-03-27T00:00', { zone: 'Europe/Paris' }).toUTC().plus({ hours: nowHour });
            const tokens = new TokenRepository(db);
            const inputs = specs.map((spec, i) =>
              tokenInput(`T${String(i).padStart(2, '0')}`, '2027-03-27T00:00', { expiresAt: now.plus({ hours: spec.hours }), thresholds: spec.own === null ? null : [...spec.own] }),
            );
            tokens.addMany(inputs, now);
            const stats = new RegistryStats(db);
            const expected = { ok: 0, warning: 0, critical: 0, expired: 0 };
            for (const input of inputs) expected[tokenState(input.expiresAt, now, 'Europe/Paris', input.thresholds ?? [60, 30, 7])] += 1;
            expect(stats.countByState(now, 'Europe/Paris', [60, 30, 7])).toEqual(expected);
            const sorted = [...inputs].sort((a, b) => a.expiresAt.toMillis() - b.expiresAt.toMillis() || a.name.localeCompare(b.name));
            expect(stats.soonestTokens(limit).map((t) => t.name)).toEqual(sorted.slice(0, limit).map((t) => t.name));
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

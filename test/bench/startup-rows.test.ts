// The bench's start-up rows: the goal row says what stands in the way from the floors measured in the same run, each
// floor is an indented row under it, and results written before the floors existed still make a goal row.
import { benchRows } from '../../bench/goals';
import type { CliStartup } from '../../bench/cli-startup';
import { benchResults } from '../support/bench-results';
import type { BenchResults } from '../../bench/results';


function withStartup(startup: CliStartup): BenchResults {
  return benchResults({ startup });
}

const measured: CliStartup = {
  pairs: 15,
  pairedRatio: 2.9,
  listMs: 75,
  bareNodeMs: 26,
  floors: [
    { key: 'sqlite', what: "node -e: better-sqlite3 opens the registry and runs list's query", pairedRatio: 1.41, ms: 37 },
    { key: 'libraries', what: 'node -e: the same, with the libraries', pairedRatio: 2.23, ms: 58 },
  ],
};

describe('the start-up rows of the bench', () => {
  it('puts each floor under the goal row and quotes them in what stands in the way', () => {
    const rows = benchRows(withStartup(measured));
    expect(rows.slice(0, 3).map((row) => [row.key, row.what.startsWith('  '), row.value])).toEqual([
      ['list-startup-ratio', false, 2.9],
      ['list-startup-floor-sqlite', true, 1.41],
      ['list-startup-floor-libraries', true, 2.23],
    ]);
    expect(rows[1]?.goal).toBeUndefined();
    expect(rows[0]?.inTheWay?.measured).toMatch(/better-sqlite3 .* alone is 1\.41x node -e 0.* 2\.23x/);
  });

  it('still makes the goal row, without a reason, from results kept before the floors were measured', () => {
    const { floors: _, ...earlier } = measured;
    const rows = benchRows(withStartup(earlier));
    expect(rows[0]).toMatchObject({ key: 'list-startup-ratio', value: 2.9 });
    expect(rows[0]?.inTheWay).toBeUndefined();
    expect(rows.some((row) => row.key.startsWith('list-startup-floor'))).toBe(false);
  });
});

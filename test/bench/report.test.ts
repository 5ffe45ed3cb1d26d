// The bench's table: which goal rows are met, what it prints under the table for an unmet goal, and how --compare
// marks a figure that moved the wrong way. (The bench itself asserts nothing; this checks only how it reports.)
import { benchRows, isMet } from '../../bench/goals';
import { printComparison, printTable } from '../../bench/report';
import { benchResults } from '../support/bench-results';
import type { BenchResults, BenchRow } from '../../bench/results';


function results(rows: BenchRow[]): BenchResults {
  return benchResults({ rows });
}

function printed(print: (out: (line: string) => void) => void): string[] {
  const lines: string[] = [];
  print((line) => lines.push(line));
  return lines;
}

const startup: BenchRow = {
  key: 'list-startup-ratio',
  what: 'tokenwatch list / node -e 0',
  value: 2.4,
  unit: 'x',
  goal: { max: 1.5 },
  inTheWay: { measured: 'opening the registry alone is 1.45x', tried: 'lazy loading' },
};

describe('the bench report', () => {
  it('meets a goal at its limit and misses it just above, and a row without a goal is neither', () => {
    expect(isMet({ ...startup, value: 1.5 })).toBe(true);
    expect(isMet({ ...startup, value: 1.51 })).toBe(false);
    expect(isMet({ ...startup, value: Number.NaN })).toBe(false);
    expect(isMet({ key: 'x', what: 'x', value: 1, unit: 'ms' })).toBeNull();
    expect(isMet({ key: 'y', what: 'y', value: 499, unit: 'req/s', goal: { min: 500 } })).toBe(false);
  });

  it('says under the table what stands in the way of an unmet goal, measured, and what was tried', () => {
    const lines = printed((out) => printTable(results([startup]), out));
    const at = lines.findIndex((line) => line.startsWith('✘ tokenwatch list / node -e 0: 2.40x, goal ≤ 1.50x'));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual(['    in the way: opening the registry alone is 1.45x', '    tried: lazy loading']);
  });

  it('says nothing under the table when every goal is met', () => {
    const lines = printed((out) => printTable(results([{ ...startup, value: 1.2 }]), out));
    expect(lines.join('\n')).not.toContain('in the way');
    expect(lines.at(-1)).toMatch(/^tokenwatch list \/ node -e 0 +\| +1\.20x \| +≤ 1\.50x \| +✔$/);
  });

  it('says an unmet goal without a measured reason is not explained, rather than leaving it out', () => {
    const { inTheWay: _, ...bare } = startup;
    const lines = printed((out) => printTable(results([bare]), out));
    expect(lines).toContain('    in the way: not measured by this run');
  });

  it('puts the parse, insert and SQLite floor of the import under its goal row, and says them when the goal is missed', () => {
    const importGoal = { rows: 100_000, runs: 3, ms: 2600, minMs: 2500, maxMs: 2700, parseMs: 900, insertMs: 1700, sqliteFloorMs: 750 };
    const rows = benchRows({ ...results([]), importGoal });
    expect(rows.map((row) => [row.key, row.value])).toEqual([
      ['import-100k', 2600],
      ['import-parse', 900],
      ['import-insert', 1700],
      ['import-sqlite-floor', 750],
    ]);
    const lines = printed((out) => printTable(results(rows), out));
    expect(lines).toContain('    in the way: parse 900 ms + insert 1700 ms, of which SQLite storing the same rows with no JS at all takes 750 ms (the two tables, their indexes and the WAL)');
  });

  it('leaves the parts of the import out for results measured before they were', () => {
    const rows = benchRows({ ...results([]), importGoal: { rows: 100_000, runs: 1, ms: 4300, minMs: 4300, maxMs: 4300 } });
    expect(rows.map((row) => row.key)).toEqual(['import-100k']);
    expect(rows[0]?.inTheWay).toBeUndefined();
  });

  it('marks a figure that moved the wrong way by more than 10% as worse, and a throughput that rose as better', () => {
    const throughput: BenchRow = { key: 'rps', what: 'status page', value: 600, unit: 'req/s', goal: { min: 500 } };
    const before = results([{ ...startup, value: 2.0 }, throughput]);
    const now = results([{ ...startup, value: 2.4 }, { ...throughput, value: 700 }]);
    const lines = printed((out) => printComparison(before, now, 'old.json', out));
    expect(lines.find((line) => line.startsWith('tokenwatch list'))).toMatch(/2\.00x \| +2\.40x \| +\+20% \| +worse$/);
    expect(lines.find((line) => line.startsWith('status page'))).toMatch(/600 req\/s \| +700 req\/s \| +\+17% \| +better$/);
  });
});

// The bench's idle-memory rows: the goal row says what stands in the way from the daemon's RSS by kind, a bare node's
// with the same flags and the daemon's RSS once V8's memory reducer has run, read in the same run, shown as indented
// rows under it; results kept from before the breakdown was measured still make the goal row.
import { benchRows } from '../../bench/goals';
import type { DaemonMemory } from '../../bench/daemon-memory';
import { benchResults } from '../support/bench-results';
import type { BenchResults } from '../../bench/results';


function withDaemon(daemon: DaemonMemory): BenchResults {
  return benchResults({ due: 1000, daemon: [daemon] });
}

const measured: DaemonMemory = {
  tokens: 100_000,
  nodeFlags: '--optimize-for-size --expose-gc',
  isNpmStart: true,
  delivered: 1000,
  idleRssMb: 84.5,
  peakRssMb: 93,
  breakdown: { anonMb: 34.2, fileMb: 50.3, shmemMb: 0, bareNode: { rssMb: 40.5, anonMb: 6.3, fileMb: 34.2 }, laterSeconds: 12, laterRssMb: 75.2 },
};

describe('the idle-memory rows of the bench', () => {
  it('puts the RSS by kind and the bare node floor under the goal row and quotes them in what stands in the way', () => {
    const rows = benchRows(withDaemon(measured));
    expect(rows.map((row) => [row.key, row.what.startsWith('  '), row.value])).toEqual([
      ['daemon-idle-rss', false, 84.5],
      ['daemon-idle-rss-anon', true, 34.2],
      ['daemon-idle-rss-file', true, 50.3],
      ['daemon-idle-rss-bare-node', true, 40.5],
      ['daemon-idle-rss-later', true, 75.2],
    ]);
    expect(rows.slice(1).every((row) => row.goal === undefined)).toBe(true);
    expect(rows[0]?.inTheWay?.measured).toMatch(/bare idle node .* is 40\.5 MiB \(34\.2 MiB of it file-backed\); the daemon adds 16\.1 MiB file-backed .* 27\.9 MiB anonymous.*12 s after the scan.* 75\.2 MiB$/);
    expect(rows[0]?.inTheWay?.tried).toMatch(/--expose-gc/);
  });

  it('still makes the goal row, without a reason, from results kept before the breakdown was measured', () => {
    const { breakdown: _, ...earlier } = measured;
    const rows = benchRows(withDaemon(earlier));
    expect(rows.map((row) => row.key)).toEqual(['daemon-idle-rss']);
    expect(rows[0]?.inTheWay).toBeUndefined();
  });
});

// A bench run's results with nothing measured, for the tests of the bench's table: each test adds the part it is about.
import type { BenchResults } from '../../bench/results';

export function benchResults(measured: Partial<BenchResults>): BenchResults {
  return {
    machine: { cpus: 2, cpuModel: 'test', node: 'v20', platform: 'linux', loadAtStart: [0], loadAtEnd: [0], date: '2026-11-30T10:00:00Z' },
    mode: 'quick',
    due: 0,
    sizes: [],
    scanGoal: null,
    importGoal: null,
    ratio: null,
    delivery: null,
    daemon: [],
    http: null,
    httpLoad: null,
    sourceSync: null,
    startup: null,
    ...measured,
  };
}

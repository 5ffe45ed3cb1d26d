// The shapes of the bench's figures: one run's results (kept as JSON) and the table's rows with their goals. Both the
// table (goals.ts) and the printing and comparing (report.ts) read them; neither imports the other's types.
import type { CliStartup } from './cli-startup';
import type { DaemonMemory } from './daemon-memory';
import type { DeliveryResult } from './delivery';
import type { HttpLoadResult } from './http-load';
import type { HttpTiming } from './http-timing';
import type { ImportTiming } from './registry';
import type { ScanTiming } from './scan-timing';
import type { SourceSyncResult } from './source-sync';

export type Unit = 'ms' | 'MiB' | 'x' | 'msg/s' | 'req/s';

export interface Goal {
  /** The figure must be at most this (times, memory, ratios)… */
  readonly max?: number;
  /** …or at least this (throughputs). */
  readonly min?: number;
}

export interface BenchRow {
  /** Stable across runs: what --compare matches on. */
  readonly key: string;
  readonly what: string;
  readonly value: number;
  readonly unit: Unit;
  /** Extra words after the figure (the two times of a paired ratio, a percentile…). */
  readonly detail?: string;
  readonly goal?: Goal;
  /**
   * For a goal row: what stands in the way when this run does not meet it, from figures measured in the same run
   * (a floor such as the cost of the parts alone), then what was tried. Printed under the table only when unmet.
   */
  readonly inTheWay?: InTheWay;
}

export interface InTheWay {
  /** Measured in this run, e.g. "opening SQLite alone is 1.48x node -e 0". */
  readonly measured: string;
  /** What was tried and what it gave, from earlier work (docs/performance.md has the details). */
  readonly tried: string;
}

export interface SizeResult {
  readonly size: number;
  readonly buildMs: number;
  readonly scan: ScanTiming;
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15-minute load averages when the run started and when it ended: other work on the machine. */
  readonly loadAtStart: readonly number[];
  readonly loadAtEnd: readonly number[];
  readonly date: string;
}

export interface BenchResults {
  readonly machine: Machine;
  readonly mode: 'full' | 'quick';
  readonly due: number;
  readonly sizes: readonly SizeResult[];
  /** The per-token scan goal, on the largest registry: median over several runs, each on a fresh copy. */
  readonly scanGoal: { readonly size: number; readonly due: number; readonly runs: number; readonly scanMs: number } | null;
  /** Parsing and inserting 100,000 CSV rows into a fresh registry; null when skipped. */
  readonly importGoal: ImportTiming | null;
  /** Largest size's scan time over the smallest's (goal: under 1.5); null with fewer than two sizes. */
  readonly ratio: { readonly process: number; readonly dryRun: number; readonly scan: number } | null;
  readonly delivery: DeliveryResult | null;
  /** The daemon with the Node flags of `npm start` (the goal), and in a full run also without flags. */
  readonly daemon: readonly DaemonMemory[];
  readonly http: HttpTiming | null;
  readonly httpLoad: HttpLoadResult | null;
  readonly sourceSync: SourceSyncResult | null;
  readonly startup: CliStartup | null;
  /** The table as printed (what --compare reads). */
  readonly rows?: readonly BenchRow[];
}

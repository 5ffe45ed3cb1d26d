// Child process of the bench: times the in-process scan of one registry and prints the figures as JSON.
// Usage: node dist/bench/scan-worker.js FILE AT RUNS SCAN_RUNS
import { DateTime } from 'luxon';
import { timeInProcess } from './scan-timing';

const [file, at, runs, scanRuns] = process.argv.slice(2);
timeInProcess(file ?? '', DateTime.fromISO(at ?? '', { zone: 'utc' }), Number(runs ?? 5), Number(scanRuns ?? 1)).then(
  (timing) => process.stdout.write(`${JSON.stringify(timing)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

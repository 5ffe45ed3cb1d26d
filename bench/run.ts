// `npm run bench [-- --quick] [-- --compare FILE]`: speed and memory of tokenwatch on temporary registries. Prints
// one table (what | now | goal | ✔/✘) and writes the same figures as JSON; asserts nothing (the test suite never
// times anything). --quick measures the goal rows only, on smaller runs (under a minute); --compare FILE prints the
// change of every figure against an earlier run's JSON.
//
//   BENCH_SIZES=1000,100000,1000000   registry sizes (each with BENCH_DUE due tokens)       quick: 100000
//   BENCH_DUE=1000                    due tokens in every registry
//   BENCH_DELIVERIES=10000            reminders delivered to local SMTP and Slack servers   quick: 0 (skipped)
//   BENCH_DAEMON_TOKENS=100000        registry size for the daemon's memory (0 skips)
//   BENCH_RUNS=5                      runs per timing (the median is reported)              quick: 3
//   BENCH_PAIRS=30                    pairs of `list` / `node -e 0` for the start-up ratio   quick: 15
//   BENCH_IMPORT_RUNS=3               imports of 100,000 CSV rows (0: the 100,000 registry's build is the one timing)
//                                                                                           quick: 0
//   BENCH_HTTP_CLIENTS=20             concurrent clients of the HTTP load (0 skips it)     quick: 0
//   BENCH_HTTP_SECONDS=4              seconds of load per run (BENCH_HTTP_RUNS=3 runs each for the page and /metrics)
//   BENCH_SYNC_TOKENS=10000           tokens a source lists (over pages of 100) for the sync timing (0 skips)
//   BENCH_OUT=bench/results/latest.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { measureListStartup } from './cli-startup';
import { measureDaemon, npmStartFlags, type DaemonMemory } from './daemon-memory';
import { measureDelivery } from './delivery';
import { benchRows } from './goals';
import { measureHttpLoad } from './http-load';
import { timeHttp } from './http-timing';
import { buildRegistry, timeImport, ZONE } from './registry';
import { machine, printComparison, printTable, readResults, writeJson } from './report';
import type { BenchResults, SizeResult } from './results';
import { timeScans } from './scan-timing';
import { measureSourceSync } from './source-sync';

interface Options {
  readonly isQuick: boolean;
  readonly compare: string | null;
}

class UsageError extends Error {}

function parseArgs(args: readonly string[]): Options {
  let isQuick = false;
  let compare: string | null = null;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--quick') isQuick = true;
    else if (arg === '--compare') {
      compare = args[index + 1] ?? null;
      if (compare === null || compare.startsWith('--')) throw new UsageError('--compare: expected the path of an earlier bench JSON after it');
      index += 1;
    } else if (arg.startsWith('--compare=')) compare = arg.slice('--compare='.length);
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)} (expected --quick or --compare FILE)`);
  }
  return { isQuick, compare };
}

function numbers(name: string, fallback: string): number[] {
  const text = process.env[name] ?? fallback;
  const values = text.split(',').map((part) => Number(part.trim().replace(/_/g, '')));
  if (values.some((value) => !Number.isInteger(value) || value < 0)) {
    throw new UsageError(`${name}: ${JSON.stringify(text)} (expected whole numbers separated by commas)`);
  }
  return values;
}

function number(name: string, fallback: number): number {
  const [value] = numbers(name, String(fallback));
  return value ?? fallback;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const quick = options.isQuick;
  // Read before measuring anything, so that a wrong path fails at once.
  const earlier = options.compare === null ? null : readResults(options.compare);
  const loadAtStart = os.loadavg();
  const sizes = numbers('BENCH_SIZES', quick ? '100000' : '1000,100000,1000000').sort((a, b) => a - b);
  const due = number('BENCH_DUE', 1000);
  const deliveries = number('BENCH_DELIVERIES', quick ? 0 : 10_000);
  const daemonTokens = number('BENCH_DAEMON_TOKENS', 100_000);
  const runs = Math.max(1, number('BENCH_RUNS', quick ? 3 : 5));
  const pairs = Math.max(1, number('BENCH_PAIRS', quick ? 15 : 30));
  const importRuns = number('BENCH_IMPORT_RUNS', quick ? 0 : 3);
  const clients = number('BENCH_HTTP_CLIENTS', quick ? 0 : 20);
  const syncTokens = number('BENCH_SYNC_TOKENS', 10_000);
  const out = process.env['BENCH_OUT'] ?? path.join('bench', 'results', quick ? 'quick.json' : 'latest.json');
  // The instant every registry is built for and scanned at: now, so that the daemon (on the real clock) sees it too.
  const at = DateTime.now().setZone(ZONE).startOf('minute').toUTC();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenwatch-bench-'));
  try {
    // First, while the machine is as quiet as it will be: the start-up ratio (paired, so load matters less).
    log(`timing tokenwatch list on a small registry against node -e 0, ${pairs} pairs…`);
    const small = path.join(dir, 'small.db');
    buildRegistry(small, { size: 20, due: 5, at });
    const startup = await measureListStartup(small, pairs);

    let importGoal: BenchResults['importGoal'] = null;
    if (importRuns > 0) {
      log(`importing 100,000 CSV rows into a fresh registry, ${importRuns} times…`);
      importGoal = timeImport(dir, at, 100_000, importRuns);
    }

    const sizeResults: SizeResult[] = [];
    let daemonFile: string | null = null;
    for (const size of sizes) {
      const file = path.join(dir, `registry-${size}.db`);
      log(`building a registry of ${size} tokens (${Math.min(due, size)} due)…`);
      const built = buildRegistry(file, { size, due: Math.min(due, size), at });
      if (importGoal === null && built.firstBatchRows === 100_000) {
        importGoal = { rows: 100_000, runs: 1, ms: built.firstBatchMs, minMs: built.firstBatchMs, maxMs: built.firstBatchMs };
      }
      if (size === daemonTokens) {
        // The scans below record what they send; the daemon gets an untouched copy.
        daemonFile = path.join(dir, 'daemon.db');
        fs.copyFileSync(file, daemonFile);
      }
      log(`timing scans of ${size} tokens…`);
      const isLargest = size === sizes[sizes.length - 1];
      sizeResults.push({ size, buildMs: built.buildMs, scan: await timeScans(file, at, runs, isLargest ? runs : 1) });
      fs.rmSync(file, { force: true });
    }
    const smallest = sizeResults[0];
    const largest = sizeResults[sizeResults.length - 1];
    const ratio =
      smallest === undefined || largest === undefined || smallest === largest
        ? null
        : {
            process: largest.scan.processMs / smallest.scan.processMs,
            dryRun: largest.scan.dryRunMs / smallest.scan.dryRunMs,
            scan: largest.scan.scanMs / smallest.scan.scanMs,
          };
    const scanGoal = largest === undefined ? null : { size: largest.size, due: largest.scan.due, runs: largest.scan.scanRuns, scanMs: largest.scan.scanMs };

    let delivery: BenchResults['delivery'] = null;
    if (deliveries > 0) {
      log(`delivering ${deliveries} reminders to local SMTP and Slack servers…`);
      delivery = await measureDelivery(dir, deliveries, at);
    }

    const daemon: DaemonMemory[] = [];
    if (daemonTokens > 0) {
      if (daemonFile === null) {
        daemonFile = path.join(dir, 'daemon.db');
        log(`building a registry of ${daemonTokens} tokens for the daemon…`);
        buildRegistry(daemonFile, { size: daemonTokens, due: Math.min(due, daemonTokens), at });
      }
      const startFlags = npmStartFlags();
      const variants: { flags: string[]; isNpmStart: boolean }[] = [{ flags: startFlags, isNpmStart: true }];
      if (!quick && startFlags.length > 0) variants.push({ flags: [], isNpmStart: false });
      for (const { flags, isNpmStart } of variants) {
        log(`measuring the daemon's memory with ${daemonTokens} tokens, node ${flags.join(' ')}…`);
        // Each daemon gets an untouched copy: its start-up scan records what it sends.
        const copy = path.join(dir, `daemon-${daemon.length}.db`);
        fs.copyFileSync(daemonFile, copy);
        daemon.push(await measureDaemon(copy, daemonTokens, flags, isNpmStart));
        fs.rmSync(copy, { force: true });
      }
    }

    let http: BenchResults['http'] = null;
    if (daemonFile !== null && !quick) {
      log(`timing a /metrics scrape and the status page with ${daemonTokens} tokens…`);
      http = await timeHttp(daemonFile, daemonTokens, at);
    }

    let httpLoad: BenchResults['httpLoad'] = null;
    if (daemonFile !== null && clients > 0) {
      const seconds = number('BENCH_HTTP_SECONDS', 4);
      const httpRuns = Math.max(1, number('BENCH_HTTP_RUNS', 3));
      log(`loading the status page and /metrics with ${clients} clients while a scan of ${Math.min(due, daemonTokens)} reminders runs…`);
      httpLoad = await measureHttpLoad(daemonFile, daemonTokens, Math.min(due, daemonTokens), at, { clients, seconds, runs: httpRuns });
    }

    let sourceSync: BenchResults['sourceSync'] = null;
    if (syncTokens > 0) {
      log(`syncing ${syncTokens} tokens from a local Jamf Pro-like source…`);
      sourceSync = await measureSourceSync(dir, syncTokens, at);
    }

    const measured: BenchResults = {
      machine: machine(loadAtStart),
      mode: quick ? 'quick' : 'full',
      due,
      sizes: sizeResults,
      scanGoal,
      importGoal,
      ratio,
      delivery,
      daemon,
      http,
      httpLoad,
      sourceSync,
      startup,
    };
    const results: BenchResults = { ...measured, rows: benchRows(measured) };
    const print = (line: string): void => {
      process.stdout.write(`${line}\n`);
    };
    printTable(results, print);
    if (earlier !== null && options.compare !== null) printComparison(earlier, results, options.compare, print);
    writeJson(results, out);
    log(`figures written to ${out}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof Error && error.message.startsWith('--compare'))) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});

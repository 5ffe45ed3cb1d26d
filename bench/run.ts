// `npm run bench`: speed and memory of tokenwatch on temporary registries. Prints a table and writes the same figures
// as JSON; asserts nothing (the test suite never times anything).
//
//   BENCH_SIZES=1000,100000,1000000   registry sizes (each with BENCH_DUE due tokens)
//   BENCH_DUE=1000                    due tokens in every registry
//   BENCH_DELIVERIES=10000            reminders delivered to local SMTP and Slack servers (0 skips)
//   BENCH_DAEMON_TOKENS=100000        registry size for the daemon's memory (0 skips)
//   BENCH_RUNS=5                      runs per timing (the median is reported)
//   BENCH_HTTP_CLIENTS=20             concurrent clients of the HTTP load (0 skips it); on the daemon's registry
//   BENCH_HTTP_SECONDS=4              seconds of load per run (BENCH_HTTP_RUNS=3 runs each for the page and /metrics)
//   BENCH_SYNC_TOKENS=10000           tokens a source lists (over pages of 100) for the sync timing (0 skips)
//   BENCH_OUT=bench/results/latest.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { measureDaemon, measureListStartup, type DaemonMemory } from './daemon-memory';
import { measureDelivery } from './delivery';
import { measureHttpLoad } from './http-load';
import { timeHttp } from './http-timing';
import { buildRegistry, ZONE } from './registry';
import { machine, printTable, writeJson, type BenchResults, type SizeResult } from './report';
import { timeScans } from './scan-timing';
import { measureSourceSync } from './source-sync';

function numbers(name: string, fallback: string): number[] {
  const text = process.env[name] ?? fallback;
  const values = text.split(',').map((part) => Number(part.trim().replace(/_/g, '')));
  if (values.some((value) => !Number.isInteger(value) || value < 0)) {
    throw new Error(`${name}: ${JSON.stringify(text)} (expected whole numbers separated by commas)`);
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
  const sizes = numbers('BENCH_SIZES', '1000,100000,1000000').sort((a, b) => a - b);
  const due = number('BENCH_DUE', 1000);
  const deliveries = number('BENCH_DELIVERIES', 10_000);
  const daemonTokens = number('BENCH_DAEMON_TOKENS', 100_000);
  const runs = Math.max(1, number('BENCH_RUNS', 5));
  const out = process.env['BENCH_OUT'] ?? path.join('bench', 'results', 'latest.json');
  // The instant every registry is built for and scanned at: now, so that the daemon (on the real clock) sees it too.
  const at = DateTime.now().setZone(ZONE).startOf('minute').toUTC();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenwatch-bench-'));
  try {
    const sizeResults: SizeResult[] = [];
    let import100kMs: number | null = null;
    let daemonFile: string | null = null;
    for (const size of sizes) {
      const file = path.join(dir, `registry-${size}.db`);
      log(`building a registry of ${size} tokens (${Math.min(due, size)} due)…`);
      const built = buildRegistry(file, { size, due: Math.min(due, size), at });
      if (built.firstBatchRows >= 100_000 && import100kMs === null) import100kMs = built.firstBatchMs;
      if (size === daemonTokens) {
        // The scans below record what they send; the daemon gets an untouched copy.
        daemonFile = path.join(dir, 'daemon.db');
        fs.copyFileSync(file, daemonFile);
      }
      log(`timing scans of ${size} tokens…`);
      sizeResults.push({ size, buildMs: built.buildMs, scan: await timeScans(file, at, runs) });
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
      for (const flags of [[], ['--optimize-for-size']]) {
        log(`measuring the daemon's memory with ${daemonTokens} tokens ${flags.join(' ')}…`);
        // Each daemon gets an untouched copy: its start-up scan records what it sends.
        const copy = path.join(dir, `daemon-${daemon.length}.db`);
        fs.copyFileSync(daemonFile, copy);
        daemon.push(await measureDaemon(copy, daemonTokens, flags));
        fs.rmSync(copy, { force: true });
      }
    }

    let http: BenchResults['http'] = null;
    if (daemonFile !== null) {
      log(`timing a /metrics scrape and the status page with ${daemonTokens} tokens…`);
      http = await timeHttp(daemonFile, daemonTokens, at);
    }

    let httpLoad: BenchResults['httpLoad'] = null;
    const clients = number('BENCH_HTTP_CLIENTS', 20);
    if (daemonFile !== null && clients > 0) {
      const seconds = number('BENCH_HTTP_SECONDS', 4);
      const httpRuns = Math.max(1, number('BENCH_HTTP_RUNS', 3));
      log(`loading the status page and /metrics with ${clients} clients while a scan of ${Math.min(due, daemonTokens)} reminders runs…`);
      httpLoad = await measureHttpLoad(daemonFile, daemonTokens, Math.min(due, daemonTokens), at, { clients, seconds, runs: httpRuns });
    }

    let sourceSync: BenchResults['sourceSync'] = null;
    const syncTokens = number('BENCH_SYNC_TOKENS', 10_000);
    if (syncTokens > 0) {
      log(`syncing ${syncTokens} tokens from a local Jamf Pro-like source…`);
      sourceSync = await measureSourceSync(dir, syncTokens, at);
    }

    log('timing tokenwatch list on a small registry…');
    const small = path.join(dir, 'small.db');
    buildRegistry(small, { size: 20, due: 5, at });
    const listStartupMs = await measureListStartup(small, Math.max(runs, 7));

    const results: BenchResults = { machine: machine(), due, sizes: sizeResults, import100kMs, ratio, delivery, daemon, http, httpLoad, sourceSync, listStartupMs };
    printTable(results, (line) => process.stdout.write(`${line}\n`));
    writeJson(results, out);
    log(`figures written to ${out}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});

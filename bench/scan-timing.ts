// Times a scan of one registry: `tokenwatch scan --dry-run --at …` as a whole process, the same dry run in-process,
// then one real in-process scan that records the due reminders in the outbox and hands them to a channel.
import fs from 'node:fs';
import path from 'node:path';
import type { DateTime } from 'luxon';
import { dryRun, scan } from '../src/engine/scan';
import { openDatabase } from '../src/store/database';
import { acceptingChannel, openScanDeps } from './engine-deps';
import { ZONE } from './registry';
import { elapsedMs, median, runTimed } from './timing';

export const CLI = path.resolve(__dirname, '../src/cli/main.js');
const WORKER = path.resolve(__dirname, 'scan-worker.js');

export interface ScanTiming {
  /** Median wall time of the whole `scan --dry-run` process. */
  readonly processMs: number;
  /** Median in-process dry run (decides what is due; records nothing). */
  readonly dryRunMs: number;
  /**
   * A real scan in-process: decide, record in the outbox, deliver to an accepting channel, one message per token.
   * Median of `scanRuns`, each on a fresh copy of the registry.
   */
  readonly scanMs: number;
  readonly scanRuns: number;
  /** The same scan with the default digest setting, every token routed to one team address: one digest message. */
  readonly digestScanMs: number;
  readonly due: number;
}

/**
 * Environment for the CLI on a bench registry, run in the registry's folder (so no config/tokenwatch.json of the
 * developer's is read); logs silenced.
 */
export function cliEnv(file: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    TOKENWATCH_DB: file,
    TOKENWATCH_TZ: ZONE,
    TOKENWATCH_LOG_LEVEL: 'silent',
    TOKENWATCH_PREVIEW_DIR: path.join(path.dirname(file), 'preview'),
    TOKENWATCH_STEPS_DIR: path.join(path.dirname(file), 'steps'),
    ...extra,
  };
}

export interface InProcessTiming {
  readonly dryRunMs: number;
  readonly scanMs: number;
  readonly scanRuns: number;
  readonly digestScanMs: number;
  readonly due: number;
}

/** One real scan of `file` at `at` to an accepting email channel; checks it queued `due` reminders. */
async function timeRealScan(file: string, at: DateTime, due: number, digestMin: number): Promise<number> {
  const email = acceptingChannel('email');
  const deps = openScanDeps(file, new Map([['email', email]]), at, digestMin);
  try {
    const start = process.hrtime.bigint();
    const report = await scan(deps, at);
    const ms = elapsedMs(start);
    const expectedMessages = digestMin === 0 || due <= digestMin ? due : 1;
    if (report.planned.length !== due || report.delivery.sent !== due || email.accepted() !== expectedMessages) {
      throw new Error(`scan queued ${report.planned.length}, sent ${report.delivery.sent} in ${email.accepted()} messages; expected ${due} in ${expectedMessages}`);
    }
    return ms;
  } finally {
    deps.db.close();
  }
}

/**
 * In one process (a fresh one: see scan-worker.ts): the dry run `runs` times after a warm-up, then `scanRuns` real
 * scans, each on a fresh copy, that record the due reminders and hand them to an accepting channel one message per
 * token, then one with digests.
 */
export async function timeInProcess(file: string, at: DateTime, runs: number, scanRuns: number): Promise<InProcessTiming> {
  const deps = openScanDeps(file, new Map([['email', acceptingChannel('email')]]), at);
  const dryRunTimes: number[] = [];
  let due = 0;
  try {
    for (let run = 0; run < runs + 1; run += 1) {
      const start = process.hrtime.bigint();
      due = dryRun(deps, at).length;
      if (run > 0) dryRunTimes.push(elapsedMs(start)); // the first run warms up the JIT and SQLite's page cache
    }
  } finally {
    deps.db.close();
  }
  // Each real scan records what it sends, so each gets its own copy of the untouched registry.
  const digestCopy = `${file}.digest.db`;
  fs.copyFileSync(file, digestCopy);
  // A service provider's case for digests: every token's reminders go to its own team's one address.
  const copy = openDatabase(digestCopy);
  copy.prepare(`UPDATE tokens SET email = '["mdm-team@provider.example"]', slack_channel = NULL`).run();
  copy.close();
  const scanCopy = `${file}.scan.db`;
  try {
    const scanTimes: number[] = [];
    for (let run = 0; run < scanRuns; run += 1) {
      fs.copyFileSync(file, scanCopy);
      scanTimes.push(await timeRealScan(scanCopy, at, due, 0));
    }
    const digestScanMs = await timeRealScan(digestCopy, at, due, 3);
    return { dryRunMs: median(dryRunTimes), scanMs: median(scanTimes), scanRuns, digestScanMs, due };
  } finally {
    fs.rmSync(digestCopy, { force: true });
    fs.rmSync(scanCopy, { force: true });
  }
}

export async function timeScans(file: string, at: DateTime, runs: number, scanRuns: number): Promise<ScanTiming> {
  const processTimes: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await runTimed(process.execPath, [CLI, 'scan', '--dry-run', '--json', '--at', at.toISO() ?? ''], cliEnv(file), path.dirname(file));
    if (result.code !== 0) throw new Error(`scan --dry-run exited ${String(result.code)}: ${result.stderr.trim()}`);
    processTimes.push(result.ms);
  }
  // In a fresh process, so that the garbage of building the registry does not weigh on the timing.
  const worker = await runTimed(process.execPath, [WORKER, file, at.toISO() ?? '', String(runs), String(scanRuns)], process.env, path.dirname(file));
  if (worker.code !== 0) throw new Error(`scan worker exited ${String(worker.code)}: ${worker.stderr.trim()}`);
  const inProcess = JSON.parse(worker.stdout) as InProcessTiming;
  return { processMs: median(processTimes), ...inProcess };
}

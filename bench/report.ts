// The bench's figures: one table on stdout and the same figures as JSON, with the machine they were measured on.
import type { SourceSyncResult } from './source-sync';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DaemonMemory } from './daemon-memory';
import type { DeliveryResult } from './delivery';
import type { HttpLoadResult } from './http-load';
import type { HttpTiming } from './http-timing';
import type { ScanTiming } from './scan-timing';

export interface SizeResult {
  readonly size: number;
  readonly buildMs: number;
  readonly scan: ScanTiming;
}

export interface BenchResults {
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string; readonly platform: string; readonly date: string };
  readonly due: number;
  readonly sizes: readonly SizeResult[];
  /** Parsing and inserting the first 100,000 CSV rows (the import goal); null when no size reaches 100,000. */
  readonly import100kMs: number | null;
  /** Largest size's scan time over the smallest's (goal: under 1.5); null with fewer than two sizes. */
  readonly ratio: { readonly process: number; readonly dryRun: number; readonly scan: number } | null;
  readonly delivery: DeliveryResult | null;
  /** The daemon as `node dist/src/cli/main.js daemon` runs it, then with --optimize-for-size (as `npm start`). */
  readonly daemon: readonly DaemonMemory[];
  /** One /metrics scrape and one status page on the daemon's registry; null when no daemon registry was built. */
  readonly http: HttpTiming | null;
  /** Page and /metrics throughput under 20 clients while a scan runs, and that scan's time; null when skipped. */
  readonly httpLoad: HttpLoadResult | null;
  /** A sync of many tokens listed over pages by a local Jamf Pro-like source; null when skipped. */
  readonly sourceSync: SourceSyncResult | null;
  readonly listStartupMs: number | null;
}

export function machine(): BenchResults['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;
const mb = (value: number): string => `${value.toFixed(1)} MiB`;

/** Rows of [what, figure, goal]. */
export function tableRows(results: BenchResults): string[][] {
  const rows: string[][] = [];
  for (const size of results.sizes) {
    const n = size.size.toLocaleString('en-US');
    rows.push([`build registry of ${n} (import --csv path)`, ms(size.buildMs), '']);
    rows.push([`scan --dry-run process, ${n} tokens, ${size.scan.due} due`, ms(size.scan.processMs), '']);
    rows.push([`dry run in-process, ${n} tokens`, ms(size.scan.dryRunMs), '']);
    rows.push([`scan in-process (record + send per token), ${n} tokens`, ms(size.scan.scanMs), size.size >= 1_000_000 ? '< 300 ms' : '']);
    rows.push([`scan in-process (record + send as digest), ${n} tokens`, ms(size.scan.digestScanMs), size.size >= 1_000_000 ? '< 300 ms' : '']);
  }
  if (results.import100kMs !== null) rows.push(['bulk import of 100,000 CSV rows', ms(results.import100kMs), '< 5000 ms']);
  if (results.ratio !== null) {
    rows.push(['ratio largest/smallest: scan process', results.ratio.process.toFixed(2), '< 1.5']);
    rows.push(['ratio largest/smallest: dry run in-process', results.ratio.dryRun.toFixed(2), '< 1.5']);
    rows.push(['ratio largest/smallest: scan in-process', results.ratio.scan.toFixed(2), '< 1.5']);
  }
  if (results.delivery !== null) {
    const d = results.delivery;
    rows.push([`scan delivering ${d.reminders.toLocaleString('en-US')} reminders (email + Slack)`, ms(d.scanMs), '']);
    rows.push(['  email to local SMTP server', `${d.email.perSecond.toFixed(0)} msg/s`, '']);
    rows.push(['  Slack to local Web API server', `${d.slack.perSecond.toFixed(0)} msg/s`, '']);
  }
  for (const daemon of results.daemon) {
    const n = daemon.tokens.toLocaleString('en-US');
    const flags = daemon.nodeFlags === '' ? '' : ` (${daemon.nodeFlags})`;
    rows.push([`idle daemon RSS, ${n} tokens${flags}`, mb(daemon.idleRssMb), '< 80 MiB']);
    rows.push([`peak daemon RSS (start-up scan)${flags}`, mb(daemon.peakRssMb), '']);
  }
  if (results.http !== null) {
    const h = results.http;
    const n = h.tokens.toLocaleString('en-US');
    rows.push([`/metrics scrape, ${n} tokens (first, then second)`, `${ms(h.firstScrapeMs)}, ${ms(h.secondScrapeMs)}`, '']);
    rows.push([`status page render, ${n} tokens (${h.pageKib.toFixed(0)} KiB)`, ms(h.pageMs), '']);
  }
  if (results.httpLoad !== null) {
    const l = results.httpLoad;
    const n = l.tokens.toLocaleString('en-US');
    const load = (f: HttpLoadResult['page']): string =>
      `${f.requestsPerSecond.toFixed(0)} req/s (p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms, ${f.kibPerResponse.toFixed(1)} KiB${f.failures > 0 ? `, ${f.failures} failed` : ''})`;
    const ratio = (f: HttpLoadResult['page']): string => `${ms(f.scanMs)} vs ${ms(l.scanAloneMs)} alone = ${(f.scanMs / l.scanAloneMs).toFixed(2)}x`;
    rows.push([`status page, ${l.clients} clients, ${n} tokens, scan running`, load(l.page), '>= 500 req/s']);
    rows.push([`/metrics, ${l.clients} clients, ${n} tokens, scan running`, load(l.metrics), '>= 500 req/s']);
    rows.push([`scan of ${l.due.toLocaleString('en-US')} reminders under page load`, ratio(l.page), '<= 1.2x']);
    rows.push([`scan of ${l.due.toLocaleString('en-US')} reminders under /metrics load`, ratio(l.metrics), '<= 1.2x']);
    rows.push(['event loop delay p99 under page / /metrics load', `${l.page.eventLoopP99Ms.toFixed(0)} ms / ${l.metrics.eventLoopP99Ms.toFixed(0)} ms`, '']);
  }
  if (results.sourceSync !== null) {
    const y = results.sourceSync;
    rows.push([`sync of ${y.tokens.toLocaleString('en-US')} tokens over ${y.pages} pages (first: all added)`, ms(y.firstSyncMs), '<= 5 s']);
    rows.push(['  second sync (all unchanged)', ms(y.secondSyncMs), '']);
  }
  if (results.listStartupMs !== null) rows.push(['tokenwatch list start-up (small registry)', ms(results.listStartupMs), '< 300 ms']);
  return rows;
}

export function printTable(results: BenchResults, out: (line: string) => void): void {
  const { machine: m } = results;
  out(`tokenwatch bench: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}, ${m.date}`);
  const rows = [['what', 'measured', 'goal'], ...tableRows(results)];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const [index, row] of rows.entries()) {
    out(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
    if (index === 0) out(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

export function writeJson(results: BenchResults, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

// The HTTP edge under load, on the daemon's own thread as `tokenwatch daemon` runs it: 20 concurrent clients GET the
// status page (then /metrics) for a few seconds on a 100,000-token registry while a scan of the 1,000 due reminders
// runs on the same thread and the same SQLite connection; the scan's time is set beside its time with no clients.
// The clients run on a worker thread (http-load-client.ts), so their work is not counted against the daemon's thread.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { DateTime } from 'luxon';
import { systemClock } from '../src/clock';
import { scan } from '../src/engine/scan';
import { startStatusServer } from '../src/http/server';
import { silentLogger } from '../src/log';
import { RegistryStats } from '../src/store/registry-stats';
import { acceptingChannel, openScanDeps } from './engine-deps';
import type { LoadResult, LoadSpec } from './http-load-client';
import { elapsedMs, median, sleep } from './timing';

export interface LoadFigures {
  readonly path: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Bytes on the wire per answer (gzipped). */
  readonly kibPerResponse: number;
  /** Connection errors and answers other than 200. */
  readonly failures: number;
  /** The scan that ran during the load (median over the runs). */
  readonly scanMs: number;
  /** The daemon thread's event loop delay during the load, 99th percentile. */
  readonly eventLoopP99Ms: number;
}

export interface HttpLoadResult {
  readonly tokens: number;
  readonly due: number;
  readonly clients: number;
  readonly seconds: number;
  readonly runs: number;
  /** The same scan with the server up and no clients (median over the runs). */
  readonly scanAloneMs: number;
  readonly page: LoadFigures;
  readonly metrics: LoadFigures;
}

export interface HttpLoadOptions {
  readonly clients: number;
  readonly seconds: number;
  readonly runs: number;
  /** How long the load runs before the scan starts (the first page and scrape are computed then). */
  readonly warmUpMs?: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

/** A daemon's HTTP side and scan on one copy of the registry: one connection for both, as in `tokenwatch daemon`. */
async function openDaemonSide(file: string, at: DateTime, due: number) {
  const email = acceptingChannel('email');
  const deps = openScanDeps(file, new Map([['email', email]]), at);
  const stats = new RegistryStats(deps.db);
  let generation = 0;
  const server = await startStatusServer(
    { host: '127.0.0.1', port: 0 },
    {
      clock: systemClock,
      policy: deps.settings.policy,
      stats: () => stats,
      daemonStatus: () => null,
      logger: silentLogger,
      registryGeneration: () => generation,
    },
  );
  return {
    url: server.url,
    async scan(): Promise<number> {
      const start = process.hrtime.bigint();
      const report = await scan(deps, at);
      const ms = elapsedMs(start);
      // As the daemon does after each scan: the page and /metrics are computed afresh at the next request.
      generation += 1;
      if (report.planned.length !== due || report.delivery.sent !== due) {
        throw new Error(`scan queued ${report.planned.length} and sent ${report.delivery.sent}; expected ${due}`);
      }
      return ms;
    },
    async close(): Promise<void> {
      await server.close();
      deps.db.close();
    },
  };
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.resolve(__dirname, 'http-load-client.js'), { workerData: spec });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited ${code}`));
    });
  });
}

/** Copies the untouched registry for one run (each scan records what it sends). */
function freshCopy(source: string, dir: string, name: string): string {
  const copy = path.join(dir, `${name}.db`);
  fs.copyFileSync(source, copy);
  return copy;
}

async function loadWhileScanning(source: string, dir: string, at: DateTime, due: number, urlPath: string, options: HttpLoadOptions): Promise<LoadFigures> {
  const rates: number[] = [];
  const scans: number[] = [];
  const lags: number[] = [];
  const latencies: number[] = [];
  let bytes = 0;
  let answers = 0;
  let failures = 0;
  for (let run = 0; run < options.runs; run += 1) {
    const copy = freshCopy(source, dir, `http-load-${run}`);
    const side = await openDaemonSide(copy, at, due);
    try {
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const load = runLoad({
        url: new URL(urlPath, side.url).href,
        clients: options.clients,
        seconds: options.seconds,
        maxRequests: 1_000_000,
        headers: { 'accept-encoding': 'gzip' },
      });
      await sleep(options.warmUpMs ?? 1000);
      scans.push(await side.scan());
      const result = await load;
      delay.disable();
      lags.push(delay.percentile(99) / 1e6);
      rates.push(result.latenciesMs.length / result.seconds);
      latencies.push(...result.latenciesMs);
      bytes += result.bytes;
      answers += result.latenciesMs.length;
      failures += result.errors + Object.entries(result.statuses).reduce((sum, [status, n]) => sum + (status === '200' ? 0 : n), 0);
    } finally {
      await side.close();
      fs.rmSync(copy, { force: true });
    }
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    path: urlPath,
    requestsPerSecond: median(rates),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    kibPerResponse: answers === 0 ? 0 : bytes / answers / 1024,
    failures,
    scanMs: median(scans),
    eventLoopP99Ms: median(lags),
  };
}

export async function measureHttpLoad(source: string, tokens: number, due: number, at: DateTime, options: HttpLoadOptions): Promise<HttpLoadResult> {
  const dir = path.dirname(source);
  const alone: number[] = [];
  // One scan first to warm the JIT and the file cache, not counted; then the scans without clients.
  for (let run = 0; run <= options.runs; run += 1) {
    const copy = freshCopy(source, dir, `http-alone-${run}`);
    const side = await openDaemonSide(copy, at, due);
    try {
      const ms = await side.scan();
      if (run > 0) alone.push(ms);
    } finally {
      await side.close();
      fs.rmSync(copy, { force: true });
    }
  }
  const page = await loadWhileScanning(source, dir, at, due, '/', options);
  const metrics = await loadWhileScanning(source, dir, at, due, '/metrics', options);
  return { tokens, due, clients: options.clients, seconds: options.seconds, runs: options.runs, scanAloneMs: median(alone), page, metrics };
}

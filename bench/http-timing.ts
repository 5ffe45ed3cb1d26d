// What the daemon's HTTP side costs on a large registry: one /metrics scrape (the first, then a second) and one
// render of the status page, read from the same SQLite file the daemon would use.
import type { DateTime } from 'luxon';
import { fixedClock } from '../src/clock';
import { healthReport } from '../src/http/health';
import { createMetrics } from '../src/http/metrics';
import { renderStatusPage } from '../src/http/status-page';
import { buildStatusView } from '../src/http/status-view';
import { openDatabase } from '../src/store/database';
import { RegistryStats } from '../src/store/registry-stats';
import { ZONE } from './registry';
import { elapsedMs } from './timing';

export interface HttpTiming {
  readonly tokens: number;
  readonly firstScrapeMs: number;
  readonly secondScrapeMs: number;
  readonly metricsKib: number;
  readonly pageMs: number;
  readonly pageKib: number;
}

const THRESHOLDS = [60, 30, 7];

async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, ms: elapsedMs(start) };
}

export async function timeHttp(file: string, tokens: number, at: DateTime): Promise<HttpTiming> {
  const db = openDatabase(file);
  try {
    const stats = new RegistryStats(db);
    const metrics = createMetrics({ clock: fixedClock(at), zone: ZONE, thresholds: THRESHOLDS, stats: () => stats, daemonStatus: () => null });
    const first = await timed(() => metrics.render());
    const second = await timed(() => metrics.render());
    const health = healthReport({ daemon: null, database: { isOk: true }, now: at, zone: ZONE });
    const policy = { zone: ZONE, thresholds: THRESHOLDS, expiredRepeatDays: 7 };
    const page = await timed(() => renderStatusPage(buildStatusView(stats, health, at, policy)));
    return {
      tokens,
      firstScrapeMs: first.ms,
      secondScrapeMs: second.ms,
      metricsKib: first.value.length / 1024,
      pageMs: page.ms,
      pageKib: page.value.length / 1024,
    };
  } finally {
    db.close();
  }
}

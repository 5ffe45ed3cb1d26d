// `npm run bench`: measures speed and memory of the hot paths on a temporary database. Prints, asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { fixedClock } from '../src/clock';
import { parseTokenCsv } from '../src/domain/token-csv';
import { scan } from '../src/engine/scan';
import { healthReport } from '../src/http/health';
import { createMetrics } from '../src/http/metrics';
import { renderStatusPage } from '../src/http/status-page';
import { PAGE_TOKEN_LIMIT, buildStatusView } from '../src/http/status-view';
import { silentLogger } from '../src/log';
import { createPreviewChannel } from '../src/notify/preview-channel';
import { openDatabase } from '../src/store/database';
import { Outbox } from '../src/store/outbox';
import { RegistryStats } from '../src/store/registry-stats';
import { TokenRepository } from '../src/store/token-repository';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 100_000);
const ZONE = 'Europe/Paris';

function measure<T>(label: string, work: () => T): T {
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const result = work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   heap ${heapMb >= 0 ? '+' : ''}${heapMb.toFixed(1)} MiB`);
  return result;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenwatch-bench-'));
  const now = DateTime.fromISO('2027-01-01T09:00:00', { zone: ZONE }).toUTC();
  try {
    const lines = ['name,expires,apple_id,org_group,email,slack_channel,kind'];
    for (let i = 0; i < ROWS; i += 1) {
      const expires = now.plus({ days: 10 + (i % 3000) }).setZone(ZONE).toISODate();
      lines.push(`Token ${i},${expires},admin${i}@example.com,Global / Org ${i % 50},ops@example.com,#mdm,vpp`);
    }
    const csv = `${lines.join('\n')}\n`;
    console.log(`tokenwatch bench: ${ROWS} tokens, node ${process.version}, ${os.cpus().length} cpus`);
    const inputs = measure(`parse CSV (${ROWS} rows)`, () => parseTokenCsv('bench.csv', csv, ZONE, now));
    const db = openDatabase(path.join(dir, 'bench.db'));
    const tokens = new TokenRepository(db);
    measure(`import into SQLite (one transaction)`, () => tokens.addMany(inputs, now));
    const outbox = new Outbox(db);
    const channels = new Map([['preview', createPreviewChannel({ dir: path.join(dir, 'preview'), from: 'bench@example.com', emailTo: [], logger: silentLogger })]]);
    const settings = {
      policy: { zone: ZONE, thresholds: [60, 30, 7], expiredRepeatDays: 7 },
      routing: { mailTo: [], slackChannel: null },
      enabled: { email: false, slack: false, preview: true },
      retry: { baseSeconds: 60, maxSeconds: 3600 },
      secrets: [],
      digestMin: 3,
      sendWindow: null,
    };
    const deps = { tokens, outbox, channels, clock: fixedClock(now), logger: silentLogger, settings };
    const candidates = measure('due candidates query', () => tokens.dueCandidates(now, now.plus({ days: 61 })).length);
    console.log(`  ${candidates} of ${ROWS} tokens can be due`);
    let start = process.hrtime.bigint();
    const first = await scan(deps, now);
    console.log(`${'first scan (queue + preview delivery)'.padEnd(44)} ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0).padStart(7)} ms   ${first.planned.length} queued, ${first.skipped} skipped`);
    start = process.hrtime.bigint();
    const second = await scan(deps, now);
    console.log(`${'second scan (nothing new)'.padEnd(44)} ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0).padStart(7)} ms   ${second.planned.length} queued`);
    // What one /metrics scrape and one status page cost on this registry (and its outbox from the scans above).
    const stats = new RegistryStats(db);
    const metrics = createMetrics({ clock: fixedClock(now), zone: ZONE, thresholds: [60, 30, 7], stats: () => stats, daemonStatus: () => null });
    for (const label of ['first /metrics scrape', 'second /metrics scrape']) {
      start = process.hrtime.bigint();
      const text = await metrics.render();
      console.log(`${label.padEnd(44)} ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0).padStart(7)} ms   ${(text.length / 1024).toFixed(0)} KiB`);
    }
    const health = healthReport({ daemon: null, database: { isOk: true }, now, zone: ZONE });
    const page = measure(`status page (${PAGE_TOKEN_LIMIT} soonest of ${ROWS})`, () => renderStatusPage(buildStatusView(stats, health, now, settings.policy)));
    console.log(`  ${(page.length / 1024).toFixed(0)} KiB of HTML`);
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(`peak-ish RSS ${rss.toFixed(0)} MiB; database ${(fs.statSync(path.join(dir, 'bench.db')).size / 1024 / 1024).toFixed(1)} MiB`);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();

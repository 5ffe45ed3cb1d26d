// The bench's table as rows: each figure with a stable key (so that two runs can be compared), its unit, and, for the
// goals of issue 18 and the earlier ones, the goal and whether this run meets it.
import type { StartupFloor } from './cli-startup';
import type { DaemonMemoryBreakdown } from './daemon-memory';
import type { BenchResults, BenchRow, InTheWay, Unit } from './results';

export function isMet(row: BenchRow): boolean | null {
  if (row.goal === undefined) return null;
  if (!Number.isFinite(row.value)) return false;
  if (row.goal.max !== undefined && row.value > row.goal.max) return false;
  if (row.goal.min !== undefined && row.value < row.goal.min) return false;
  return true;
}

/** Whether a smaller figure is the better one (times, memory, ratios) or a larger one (throughputs). */
export function isLowerBetter(row: BenchRow): boolean {
  if (row.goal?.min !== undefined) return false;
  return row.unit !== 'msg/s' && row.unit !== 'req/s';
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`;
    case 'MiB':
      return `${value.toFixed(1)} MiB`;
    case 'x':
      return `${value.toFixed(2)}x`;
    default:
      return `${value.toFixed(0)} ${unit}`;
  }
}

export function formatGoal(row: BenchRow): string {
  if (row.goal === undefined) return '';
  const parts: string[] = [];
  if (row.goal.max !== undefined) parts.push(`≤ ${formatValue(row.goal.max, row.unit)}`);
  if (row.goal.min !== undefined) parts.push(`≥ ${formatValue(row.goal.min, row.unit)}`);
  return parts.join(', ');
}

type ImportTiming = NonNullable<BenchResults['importGoal']>;

const count = (n: number): string => n.toLocaleString('en-US');

/** The start-up goal's obstacle, from the floors measured in the same rounds (bench/cli-startup.ts). */
function startupInTheWay(floors: readonly StartupFloor[]): InTheWay {
  const ratio = (key: string): string => formatValue(floors.find((floor) => floor.key === key)?.pairedRatio ?? Number.NaN, 'x');
  return {
    measured:
      `opening the registry with better-sqlite3 and running list's query alone is ${ratio('sqlite')} node -e 0 (the native addon); ` +
      `with commander and luxon loaded and the expiry days formatted in the zone (Intl's first formatter loads ICU's date data), ` +
      `what list's libraries do alone, ${ratio('libraries')}; tokenwatch's own modules and work are the rest`,
    tried:
      'loading only the command asked for (271 modules to about 60), the schedule checked without node-cron, the outbox and node:crypto ' +
      'loaded only by renew and remove; one bundled file (esbuild) was slower; no compile cache before Node 22 (docs/performance.md)',
  };
}

/** The import's parts, measured in the same runs: parse, insert, and SQLite's own share of the insert. */
function importParts(goal: ImportTiming): BenchRow[] {
  const parts: BenchRow[] = [];
  if (goal.parseMs !== undefined) parts.push({ key: 'import-parse', what: '  parse alone (parseTokenCsv: csv-parse, then each field checked)', value: goal.parseMs, unit: 'ms' });
  if (goal.insertMs !== undefined) parts.push({ key: 'import-insert', what: '  insert alone (addManyCounted: tokens and their history, one transaction)', value: goal.insertMs, unit: 'ms' });
  if (goal.sqliteFloorMs !== undefined) {
    parts.push({ key: 'import-sqlite-floor', what: "  SQLite's floor: the same rows copied into a fresh registry, one statement per table", value: goal.sqliteFloorMs, unit: 'ms' });
  }
  return parts;
}

function importInTheWay(goal: ImportTiming): Pick<BenchRow, 'inTheWay'> {
  if (goal.parseMs === undefined || goal.insertMs === undefined || goal.sqliteFloorMs === undefined) return {};
  return {
    inTheWay: {
      measured:
        `parse ${goal.parseMs.toFixed(0)} ms + insert ${goal.insertMs.toFixed(0)} ms, of which SQLite storing the same rows with no JS ` +
        `at all takes ${goal.sqliteFloorMs.toFixed(0)} ms (the two tables, their indexes and the WAL)`,
      tried:
        'positional parameters (named ones cost about 1 s), the history in one INSERT … SELECT with json_object, no Token ' +
        'objects built for the count, CSV line numbers counted only for a bad row (4.3 s to about 2 s); a larger cache_size, ' +
        'multi-row INSERTs and one json_each INSERT gave nothing (docs/performance.md)',
    },
  };
}

/** The idle-memory goal's obstacle, from the daemon's RSS by kind and a bare node's, read in the same run. */
function daemonInTheWay(breakdown: DaemonMemoryBreakdown): InTheWay {
  const mib = (value: number): string => formatValue(value, 'MiB');
  const { bareNode } = breakdown;
  return {
    measured:
      `a bare idle node with the same flags is ${mib(bareNode.rssMb)} (${mib(bareNode.fileMb)} of it file-backed); the daemon adds ` +
      `${mib(breakdown.fileMb - bareNode.fileMb)} file-backed (the node binary's code and ICU data its work touched: Intl's first ` +
      `date formatter alone about 6 MiB; the SQLite addon) and ${mib(breakdown.anonMb - bareNode.anonMb)} anonymous (V8's heap: ` +
      `its libraries' code and source text, about 13 MiB live; malloc'd memory glibc keeps after the scan); ` +
      `${breakdown.laterSeconds} s after the scan, once V8's memory reducer has compacted the heap, ${mib(breakdown.laterRssMb)}`,
    tried:
      'node-forge loaded only to decrypt, the sources only when configured, prom-client on the first scrape; once idle, SQLite\'s shrink_memory and two full GCs ' +
      '100 ms apart (--expose-gc; one gave back half as much); --max-semi-space-size, --single-threaded, MALLOC_ARENA_MAX=1, a ' +
      'smaller SQLite cache gave nothing; --no-opt (no TurboFan) 5 MiB less but a start-up scan about twice as long (docs/performance.md)',
  };
}

/** The five goals of issue 18 first, then the other goals and the figures that explain them. */
export function benchRows(results: BenchResults): BenchRow[] {
  const rows: BenchRow[] = [];
  const { startup, scanGoal, importGoal, sourceSync } = results;
  const goalDaemon = results.daemon.find((daemon) => daemon.isNpmStart);

  if (startup !== null) {
    rows.push({
      key: 'list-startup-ratio',
      what: `tokenwatch list, small registry / node -e 0 (paired, ${startup.pairs} rounds)`,
      value: startup.pairedRatio,
      unit: 'x',
      detail: `${startup.listMs.toFixed(0)} / ${startup.bareNodeMs.toFixed(0)} ms`,
      goal: { max: 1.5 },
      ...(startup.floors === undefined ? {} : { inTheWay: startupInTheWay(startup.floors) }),
    });
    for (const floor of startup.floors ?? []) {
      rows.push({ key: `list-startup-floor-${floor.key}`, what: `  ${floor.what} / node -e 0`, value: floor.pairedRatio, unit: 'x', detail: `${floor.ms.toFixed(0)} ms` });
    }
  }
  if (goalDaemon !== undefined) {
    rows.push({
      key: 'daemon-idle-rss',
      what: `idle daemon RSS after a start-up scan sending ${count(goalDaemon.delivered)} reminders, ${count(goalDaemon.tokens)} tokens (npm start: ${goalDaemon.nodeFlags || 'no flags'})`,
      value: goalDaemon.idleRssMb,
      unit: 'MiB',
      detail: `peak ${goalDaemon.peakRssMb.toFixed(0)} MiB`,
      goal: { max: 80 },
      ...(goalDaemon.breakdown === undefined ? {} : { inTheWay: daemonInTheWay(goalDaemon.breakdown) }),
    });
    const breakdown = goalDaemon.breakdown;
    if (breakdown !== undefined) {
      rows.push({ key: 'daemon-idle-rss-anon', what: '  of which anonymous (V8 heap, malloc)', value: breakdown.anonMb, unit: 'MiB' });
      rows.push({ key: 'daemon-idle-rss-file', what: '  of which file-backed (node binary, ICU data, SQLite addon)', value: breakdown.fileMb, unit: 'MiB' });
      rows.push({
        key: 'daemon-idle-rss-bare-node',
        what: `  floor: a bare idle node, same flags (${goalDaemon.nodeFlags || 'none'})`,
        value: breakdown.bareNode.rssMb,
        unit: 'MiB',
        detail: `${breakdown.bareNode.anonMb.toFixed(1)} anonymous, ${breakdown.bareNode.fileMb.toFixed(1)} file-backed`,
      });
      rows.push({
        key: 'daemon-idle-rss-later',
        what: `  the same daemon ${breakdown.laterSeconds} s after scan.done (V8's memory reducer has run)`,
        value: breakdown.laterRssMb,
        unit: 'MiB',
      });
    }
  }
  if (scanGoal !== null) {
    rows.push({
      key: 'scan-per-token',
      what: `real scan of ${count(scanGoal.due)} due tokens, one message per token, in-process, ${count(scanGoal.size)} tokens (median of ${scanGoal.runs})`,
      value: scanGoal.scanMs,
      unit: 'ms',
      goal: { max: 300 },
    });
  }
  if (importGoal !== null) {
    rows.push({
      key: 'import-100k',
      what: `bulk import of ${count(importGoal.rows)} CSV rows, parse + insert (median of ${importGoal.runs})`,
      value: importGoal.ms,
      unit: 'ms',
      ...(importGoal.runs > 1 ? { detail: `${importGoal.minMs.toFixed(0)}–${importGoal.maxMs.toFixed(0)} ms` } : {}),
      goal: { max: 2500 },
      ...importInTheWay(importGoal),
    });
    rows.push(...importParts(importGoal));
  }
  if (sourceSync !== null) {
    rows.push({
      key: 'sync-first',
      what: `sync of ${count(sourceSync.tokens)} tokens from a source over ${sourceSync.pages} pages (first: all added)`,
      value: sourceSync.firstSyncMs,
      unit: 'ms',
      goal: { max: 5000 },
    });
    rows.push({ key: 'sync-second', what: '  second sync (all unchanged)', value: sourceSync.secondSyncMs, unit: 'ms' });
  }

  const largest = results.sizes[results.sizes.length - 1];
  if (largest !== undefined) {
    rows.push({
      key: 'scan-digest',
      what: `real scan in-process with digests (every token to one team address), ${count(largest.size)} tokens`,
      value: largest.scan.digestScanMs,
      unit: 'ms',
      goal: { max: 300 },
    });
  }
  if (results.ratio !== null && results.sizes.length > 1) {
    const span = `${count(results.sizes[results.sizes.length - 1]?.size ?? 0)} / ${count(results.sizes[0]?.size ?? 0)}`;
    rows.push({ key: 'size-ratio-process', what: `scan cost ratio ${span} tokens: scan --dry-run process`, value: results.ratio.process, unit: 'x', goal: { max: 1.5 } });
    rows.push({ key: 'size-ratio-dry-run', what: `  dry run in-process`, value: results.ratio.dryRun, unit: 'x', goal: { max: 1.5 } });
    rows.push({ key: 'size-ratio-scan', what: `  real scan in-process`, value: results.ratio.scan, unit: 'x', goal: { max: 1.5 } });
  }
  if (results.httpLoad !== null) {
    const l = results.httpLoad;
    for (const [name, figures] of [['page', l.page], ['metrics', l.metrics]] as const) {
      const label = name === 'page' ? 'status page' : '/metrics';
      rows.push({
        key: `http-load-${name}`,
        what: `${label}, ${l.clients} clients, ${count(l.tokens)} tokens, a scan running`,
        value: figures.requestsPerSecond,
        unit: 'req/s',
        detail: `p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms${figures.failures > 0 ? `, ${figures.failures} failed` : ''}`,
        goal: { min: 500 },
      });
      rows.push({
        key: `http-load-${name}-scan-ratio`,
        what: `  scan of ${count(l.due)} reminders under ${label} load / alone`,
        value: figures.scanMs / l.scanAloneMs,
        unit: 'x',
        detail: `${figures.scanMs.toFixed(0)} / ${l.scanAloneMs.toFixed(0)} ms`,
        goal: { max: 1.2 },
      });
    }
  }

  // Figures without a goal of their own: what the goals above are made of.
  for (const size of results.sizes) {
    const n = count(size.size);
    rows.push({ key: `build-${size.size}`, what: `build registry of ${n} tokens (import --csv path)`, value: size.buildMs, unit: 'ms' });
    rows.push({ key: `dry-run-process-${size.size}`, what: `  scan --dry-run, whole process, ${size.scan.due} due`, value: size.scan.processMs, unit: 'ms' });
    rows.push({ key: `dry-run-${size.size}`, what: '  dry run in-process', value: size.scan.dryRunMs, unit: 'ms' });
    rows.push({ key: `scan-${size.size}`, what: '  real scan in-process, one message per token', value: size.scan.scanMs, unit: 'ms' });
  }
  if (results.delivery !== null) {
    const d = results.delivery;
    rows.push({ key: 'delivery-scan', what: `scan delivering ${count(d.reminders)} reminders (email + Slack, local servers)`, value: d.scanMs, unit: 'ms' });
    rows.push({ key: 'delivery-email', what: '  email to a local SMTP server', value: d.email.perSecond, unit: 'msg/s' });
    rows.push({ key: 'delivery-slack', what: '  Slack to a local Web API server', value: d.slack.perSecond, unit: 'msg/s' });
  }
  for (const daemon of results.daemon) {
    if (daemon.isNpmStart) continue;
    rows.push({
      key: `daemon-idle-rss-${daemon.nodeFlags || 'plain'}`,
      what: `idle daemon RSS, ${count(daemon.tokens)} tokens, node ${daemon.nodeFlags || '(no flags)'}`,
      value: daemon.idleRssMb,
      unit: 'MiB',
      detail: `peak ${daemon.peakRssMb.toFixed(0)} MiB`,
    });
  }
  if (results.http !== null) {
    const h = results.http;
    rows.push({ key: 'metrics-scrape', what: `one /metrics scrape, ${count(h.tokens)} tokens (first)`, value: h.firstScrapeMs, unit: 'ms', detail: `then ${h.secondScrapeMs.toFixed(0)} ms` });
    rows.push({ key: 'status-page', what: `one status page, ${count(h.tokens)} tokens (${h.pageKib.toFixed(0)} KiB)`, value: h.pageMs, unit: 'ms' });
  }
  return rows;
}

// Builds a benchmark registry in a temporary SQLite file through the same functions as `tokenwatch import --csv`
// (parseTokenCsv, then TokenRepository.addManyCounted), in batches of CSV rows so that a million rows need not be one string.
import fs from 'node:fs';
import path from 'node:path';
import type { DateTime } from 'luxon';
import { parseTokenCsv } from '../src/domain/token-csv';
import { openDatabase } from '../src/store/database';
import { TokenRepository } from '../src/store/token-repository';
import { elapsedMs, median } from './timing';

export const ZONE = 'Europe/Paris';
/** Rows per CSV batch: one `import --csv` of this many rows each. */
export const BATCH_ROWS = 100_000;
/** Due tokens expire within this many days of the scan instant; the others later, up to 13 months. */
const DUE_WITHIN_DAYS = 59;
const FIRST_NOT_DUE_DAY = 62;
const LAST_DAY = 395;

export interface RegistrySpec {
  readonly size: number;
  /** How many tokens can be due at `at` (expiring within 59 days); the rest expire 62 to 395 days later. */
  readonly due: number;
  /** The instant the registry is built for (and scanned at). */
  readonly at: DateTime;
}

export const CSV_HEADER = 'name,expires,apple_id,org_group,email,slack_channel,kind';

/** CSV rows `from` to `to` (exclusive) of a registry: due tokens first, the rest spread over the 13 months. */
export function csvRows(spec: RegistrySpec, from: number, to: number): string {
  const lines = [CSV_HEADER];
  const notDue = Math.max(1, spec.size - spec.due);
  for (let i = from; i < to; i += 1) {
    const day =
      i < spec.due
        ? 1 + (i % DUE_WITHIN_DAYS)
        : FIRST_NOT_DUE_DAY + Math.floor(((i - spec.due) * (LAST_DAY - FIRST_NOT_DUE_DAY + 1)) / notDue);
    const expires = spec.at.plus({ days: day }).setZone(ZONE).toISODate() ?? '';
    lines.push(`Customer ${i} VPP,${expires},vpp${i}@customer${i % 500}.example,Global / Customer ${i % 500},mdm@customer${i % 500}.example,#mdm-${i % 500},vpp`);
  }
  return `${lines.join('\n')}\n`;
}

export interface BuiltRegistry {
  readonly file: string;
  readonly size: number;
  readonly buildMs: number;
  /** Time of the first batch alone (at most 100,000 rows: the import goal). */
  readonly firstBatchMs: number;
  readonly firstBatchRows: number;
}

/** Creates `file` with `spec.size` tokens; the timing covers parsing the CSV and inserting it, not generating it. */
export function buildRegistry(file: string, spec: RegistrySpec): BuiltRegistry {
  const db = openDatabase(file);
  try {
    const tokens = new TokenRepository(db);
    let buildMs = 0;
    let firstBatchMs = 0;
    for (let from = 0; from < spec.size; from += BATCH_ROWS) {
      const to = Math.min(spec.size, from + BATCH_ROWS);
      const csv = csvRows(spec, from, to);
      const start = process.hrtime.bigint();
      tokens.addManyCounted(parseTokenCsv(`batch-${from}.csv`, csv, ZONE), spec.at);
      const ms = elapsedMs(start);
      if (from === 0) firstBatchMs = ms;
      buildMs += ms;
    }
    return { file, size: spec.size, buildMs, firstBatchMs, firstBatchRows: Math.min(spec.size, BATCH_ROWS) };
  } finally {
    db.close();
  }
}

export interface ImportTiming {
  readonly rows: number;
  readonly runs: number;
  /** Median, fastest and slowest of the runs. */
  readonly ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Medians of the two parts of the same runs: parseTokenCsv, then addManyCounted (absent in older results). */
  readonly parseMs?: number;
  readonly insertMs?: number;
  /**
   * SQLite's own share of the insert, median: the imported rows copied into another fresh registry in one statement
   * per table, with no JS per row (same tables, indexes, WAL and transaction).
   */
  readonly sqliteFloorMs?: number;
}

/**
 * `import --csv` of `rows` rows into a fresh registry, `runs` times (each a new file): parsing the CSV and inserting
 * it, as the command does, without generating the text; then the SQLite floor of the same rows.
 */
export function timeImport(dir: string, at: DateTime, rows: number, runs: number): ImportTiming {
  const spec: RegistrySpec = { size: rows, due: Math.min(1000, rows), at };
  const csv = csvRows(spec, 0, rows);
  const times: number[] = [];
  const parseTimes: number[] = [];
  const insertTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const file = path.join(dir, `import-${run}.db`);
    const db = openDatabase(file);
    try {
      const start = process.hrtime.bigint();
      const inputs = parseTokenCsv('import.csv', csv, ZONE);
      const parseMs = elapsedMs(start);
      new TokenRepository(db).addManyCounted(inputs, at);
      const ms = elapsedMs(start);
      times.push(ms);
      parseTimes.push(parseMs);
      insertTimes.push(ms - parseMs);
    } finally {
      db.close();
    }
    floorTimes.push(timeSqliteCopy(file, path.join(dir, `import-${run}-copy.db`)));
    fs.rmSync(file, { force: true });
  }
  return {
    rows,
    runs,
    ms: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    parseMs: median(parseTimes),
    insertMs: median(insertTimes),
    sqliteFloorMs: median(floorTimes),
  };
}

/** Copies the tokens and their history from `from` into a fresh registry `to`, timing the one write transaction. */
function timeSqliteCopy(from: string, to: string): number {
  const db = openDatabase(to);
  try {
    db.prepare('ATTACH DATABASE ? AS imported').run(from);
    const copy = db.transaction(() => {
      db.exec('INSERT INTO main.tokens SELECT * FROM imported.tokens WHERE id > 0');
      db.exec('INSERT INTO main.token_history SELECT * FROM imported.token_history WHERE id > 0');
    });
    const start = process.hrtime.bigint();
    copy.immediate();
    return elapsedMs(start);
  } finally {
    db.close();
    fs.rmSync(to, { force: true });
  }
}

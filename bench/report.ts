// The bench's figures: one table on stdout (what | now | goal | ✔/✘) and the same figures as JSON, with the machine
// they were measured on; --compare prints the change against an earlier JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchRows, formatGoal, formatValue, isLowerBetter, isMet } from './goals';
import type { BenchResults, BenchRow, Machine } from './results';

export function machine(loadAtStart: readonly number[]): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAtStart,
    loadAtEnd: os.loadavg(),
    date: new Date().toISOString(),
  };
}

function describeMachine(m: Machine): string {
  const load = (values: readonly number[]): string => values.map((value) => value.toFixed(2)).join(' ');
  return `${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}, ${m.date}, load ${load(m.loadAtStart)} at start, ${load(m.loadAtEnd)} at end`;
}

/** Prints rows as an aligned table: the first column left-aligned, the others right-aligned. */
function printAligned(rows: readonly (readonly string[])[], out: (line: string) => void): void {
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  for (const [index, row] of rows.entries()) {
    const cells = row.map((cell, column) => {
      const pad = (widths[column] ?? 0) - [...cell].length;
      return column === 0 ? cell + ' '.repeat(pad) : ' '.repeat(pad) + cell;
    });
    out(cells.join(' | ').trimEnd());
    if (index === 0) out(widths.map((width) => '-'.repeat(width)).join('-|-'));
  }
}

function mark(row: BenchRow): string {
  const met = isMet(row);
  return met === null ? '' : met ? '✔' : '✘';
}

export function printTable(results: BenchResults, out: (line: string) => void): void {
  out(`tokenwatch bench (${results.mode}): ${describeMachine(results.machine)}`);
  const rows = results.rows ?? benchRows(results);
  const cells = rows.map((row) => [row.what, formatValue(row.value, row.unit) + (row.detail === undefined ? '' : ` (${row.detail})`), formatGoal(row), mark(row)]);
  printAligned([['what', 'now', 'goal', '✔/✘'], ...cells], out);
  printInTheWay(rows, out);
}

/** Under the table, for every goal this run does not meet: what stands in the way (measured) and what was tried. */
export function printInTheWay(rows: readonly BenchRow[], out: (line: string) => void): void {
  const unmet = rows.filter((row) => isMet(row) === false);
  if (unmet.length === 0) return;
  out('');
  out('what stands in the way of each unmet goal (measured in this run), and what was tried:');
  for (const row of unmet) {
    out(`✘ ${row.what.trim()}: ${formatValue(row.value, row.unit)}, goal ${formatGoal(row)}`);
    if (row.inTheWay === undefined) {
      out('    in the way: not measured by this run');
      continue;
    }
    out(`    in the way: ${row.inTheWay.measured}`);
    out(`    tried: ${row.inTheWay.tried}`);
  }
}

/** The change of every figure against an earlier run's JSON; "worse" when it moved the wrong way by more than 10%. */
export function printComparison(before: BenchResults, now: BenchResults, beforeFile: string, out: (line: string) => void): void {
  const earlier = new Map((before.rows ?? benchRows(before)).map((row) => [row.key, row]));
  out('');
  out(`change against ${beforeFile} (${before.mode}, ${before.machine.date}, load ${before.machine.loadAtStart?.map((v) => v.toFixed(2)).join(' ') ?? 'unknown'})`);
  const cells: string[][] = [];
  for (const row of now.rows ?? benchRows(now)) {
    const old = earlier.get(row.key);
    if (old === undefined) continue;
    const change = old.value === 0 ? Number.NaN : (row.value - old.value) / old.value;
    const isWorse = Number.isFinite(change) && (isLowerBetter(row) ? change > 0.1 : change < -0.1);
    const isBetter = Number.isFinite(change) && (isLowerBetter(row) ? change < -0.1 : change > 0.1);
    cells.push([
      row.what,
      formatValue(old.value, old.unit),
      formatValue(row.value, row.unit),
      Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%` : '—',
      isWorse ? 'worse' : isBetter ? 'better' : '',
    ]);
  }
  if (cells.length === 0) {
    out('no figure in common');
    return;
  }
  printAligned([['what', 'before', 'now', 'change', ''], ...cells], out);
}

export function readResults(file: string): BenchResults {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`--compare ${file}: cannot read it (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  try {
    const parsed = JSON.parse(text) as Partial<BenchResults> & LegacyFields;
    const { machine: measuredOn } = parsed;
    if (measuredOn === undefined) throw new Error('no "machine" field');
    return fromLegacy({ ...parsed, machine: measuredOn });
  } catch (error) {
    throw new Error(`--compare ${file}: not a bench JSON (expected the file a bench run writes: ${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/** What a bench JSON written before the goal table had instead of today's fields. */
interface LegacyFields {
  readonly import100kMs?: number | null;
  readonly listStartupMs?: number | null;
}

/** Today's shape from an earlier JSON: missing parts are null, the old single import timing is a run of one. */
function fromLegacy(parsed: Partial<BenchResults> & LegacyFields & { machine: Machine }): BenchResults {
  const importMs = parsed.import100kMs ?? null;
  return {
    mode: 'full',
    due: 0,
    sizes: [],
    scanGoal: null,
    ratio: null,
    delivery: null,
    http: null,
    httpLoad: null,
    sourceSync: null,
    startup: null,
    ...parsed,
    importGoal: parsed.importGoal ?? (importMs === null ? null : { rows: 100_000, runs: 1, ms: importMs, minMs: importMs, maxMs: importMs }),
    daemon: (parsed.daemon ?? []).map((daemon) => ({ ...daemon, isNpmStart: daemon.isNpmStart ?? daemon.nodeFlags === '--optimize-for-size' })),
  };
}

export function writeJson(results: BenchResults, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

// `tokenwatch import FILE...` and `tokenwatch import --csv FILE`: add tokens, all or none.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { InputError, errorCode } from '../../errors';
import { CSV_COLUMNS, CSV_COLUMN_HELP, decodeCsv, parseTokenCsv } from '../../domain/token-csv';
import { parseTokenName } from '../../domain/token-fields';
import type { Token, TokenInput } from '../../domain/token';
import { readTokenFile } from '../../store/token-file-reader';
import type { CliContext } from '../context';
import { viewToken } from '../format';
import { createProgress } from '../progress';
import { addTokenOptions, parseTokenOptions, type RawTokenOptions } from '../token-options';

interface ImportOptions extends RawTokenOptions {
  name?: string;
  csv?: string;
  json?: boolean;
}

export function registerImport(program: Command, ctx: CliContext): void {
  addTokenOptions(
    program
      .command('import')
      .description('add tokens from .vpptoken files, or from a CSV file with --csv')
      .argument('[files...]', '.vpptoken files downloaded from Apple')
      .option('--name <name>', 'name of the token (default: the orgName in the file)')
      .option('--csv <file>', `bulk-add from CSV with a header row: ${CSV_COLUMNS.join(',')}`)
      .option('--json', 'print the imported tokens as a JSON array (as list --json)')
      .addHelpText('after', csvColumnsHelp()),
  ).action((files: string[], options: ImportOptions) => {
    const inputs = options.csv === undefined ? fromTokenFiles(ctx, files, options) : fromCsv(ctx, files, options);
    // A bar on a terminal when adding takes more than a couple of seconds (a CSV of 100,000 rows).
    const progress = createProgress({
      isTty: ctx.deps.isStderrTty === true && ctx.io.progress !== undefined,
      write: (text) => ctx.io.progress?.(text),
      now: () => performance.now(),
      label: 'importing',
    });
    let added: Token[];
    try {
      added = ctx.tokens.addMany(inputs, ctx.clock.now(), (done, total) => progress.update(done, total));
    } finally {
      progress.finish();
    }
    if (options.json === true) {
      const now = ctx.clock.now();
      ctx.io.out(JSON.stringify(added.map((token) => viewToken(token, now, ctx.config.zone, ctx.config.thresholds)), null, 2));
    } else if (options.csv !== undefined) ctx.io.out(`Imported ${added.length} tokens from ${options.csv}.`);
    else for (const token of added) ctx.io.out(`Imported "${token.name}" (expires ${token.expiresAt.setZone(ctx.config.zone).toISODate()}).`);
  });
}

/** The CSV columns, one per line, as `import --help` lists them. */
function csvColumnsHelp(): string {
  const width = Math.max(...CSV_COLUMNS.map((column) => column.length));
  const lines = CSV_COLUMNS.map((column) => `  ${column.padEnd(width)}  ${CSV_COLUMN_HELP[column]}`);
  return `\nCSV columns (--csv; header row required, all rows or none):\n${lines.join('\n')}`;
}

function fromCsv(ctx: CliContext, files: readonly string[], options: ImportOptions): TokenInput[] {
  const csv = options.csv ?? '';
  if (files.length > 0) throw new InputError(`import --csv: unexpected files ${files.join(', ')} (expected only the CSV file)`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(csv);
  } catch (error) {
    throw new InputError(`${csv}: cannot read (${errorCode(error) ?? 'error'}; expected a CSV file)`);
  }
  return parseTokenCsv(csv, decodeCsv(csv, bytes), ctx.config.zone, ctx.clock.now(), ctx.config.mdm);
}

function fromTokenFiles(ctx: CliContext, files: readonly string[], options: ImportOptions): TokenInput[] {
  if (files.length === 0) throw new InputError('import: no file given (expected one or more .vpptoken files, or --csv FILE)');
  if (options.name !== undefined && files.length > 1) {
    throw new InputError('--name: one name cannot name several files (expected a single FILE with --name)');
  }
  const fields = parseTokenOptions(options);
  const now = ctx.clock.now();
  const seen = new Map<string, string>();
  return files.map((file) => {
    const parsed = readTokenFile(file);
    const name = parseTokenName(options.name ?? parsed.orgName, options.name === undefined ? `${file}: orgName` : '--name');
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new InputError(`${file}: same token name "${name}" as ${previous} (expected distinct names; import them one at a time with --name)`);
    }
    seen.set(name, file);
    return {
      name,
      kind: fields.kind ?? 'vpp',
      orgName: parsed.orgName,
      expiresAt: parsed.expiresAt,
      addedAt: now,
      appleId: fields.appleId ?? null,
      orgGroup: fields.orgGroup ?? null,
      email: fields.email ?? null,
      slackChannel: fields.slackChannel ?? null,
      thresholds: fields.thresholds ?? null,
      notes: fields.notes ?? null,
      fingerprint: parsed.fingerprint,
      mdm: fields.mdm ?? ctx.config.mdm,
      topic: null,
    };
  });
}

// `tokenwatch import FILE...` and `tokenwatch import --csv FILE`: add tokens, all or none.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { DateTime } from 'luxon';
import { InputError, errorCode, quoted } from '../../errors';
import type { ParsedCredential } from '../../domain/credential-file';
import { parseDateInput } from '../../domain/dates';
import { kindSpec, titleWithArticle } from '../../domain/kinds';
import { shellQuoted } from '../../domain/renewal-steps';
import { CSV_COLUMNS, CSV_COLUMN_HELP, decodeCsv, parseTokenCsv } from '../../domain/token-csv';
import { parseTokenName } from '../../domain/token-fields';
import type { TokenInput } from '../../domain/token';
import { readCredentialFile } from '../../files/token-file-reader';
import type { CliContext } from '../context';
import { viewToken } from '../format';
import { addTokenOptions, describedFields, parseTokenOptions, type RawTokenOptions } from '../token-options';

interface ImportOptions extends RawTokenOptions {
  name?: string;
  csv?: string;
  expires?: string;
  key?: string;
  json?: boolean;
}

/** One file's token and what to tell the administrator about it beyond its expiry. */
interface Imported {
  readonly input: TokenInput;
  readonly note: string;
}

export function registerImport(program: Command, ctx: CliContext): void {
  addTokenOptions(
    program
      .command('import')
      .description('add tokens from the files Apple gives (the kind is told from the content), or from a CSV file with --csv')
      .argument('[files...]', '.vpptoken content tokens, MDM push certificates (.pem, .cer, .crt) or ADE server tokens (_smime.p7m)')
      .option('--name <name>', 'name of the token (default: the orgName, the Apple ID or topic, or the MDM server name)')
      .option('--expires <date>', 'ADE server token: the expiry, instead of the estimate from the file name (YYYY-MM-DD or ISO 8601)')
      .option('--key <file>', "ADE server token: the MDM server's private key (PEM) to read the exact expiry; nothing else is kept")
      .option('--json', 'print the imported tokens as a JSON array (as list --json)')
      .option('--csv <file>', `bulk-add from CSV with a header row: ${CSV_COLUMNS.join(',')}`)
      .addHelpText('after', csvColumnsHelp()),
  ).action((files: string[], options: ImportOptions) => {
    if (options.csv !== undefined && options.json !== true) {
      // Only the count is printed: the rows are not read back as Tokens (a CSV can hold 100,000).
      const count = addWithProgress(ctx, fromCsv(ctx, files, options), (inputs, onProgress) =>
        ctx.tokens.addManyCounted(inputs, ctx.clock.now(), onProgress),
      );
      ctx.io.out(`Imported ${count} tokens from ${options.csv}.`);
      return;
    }
    const imported: Imported[] =
      options.csv === undefined ? fromFiles(ctx, files, options) : fromCsv(ctx, files, options).map((input) => ({ input, note: '' }));
    const added = addWithProgress(
      ctx,
      imported.map((entry) => entry.input),
      (inputs, onProgress) => ctx.tokens.addMany(inputs, ctx.clock.now(), onProgress),
    );
    if (options.json === true) {
      const now = ctx.clock.now();
      ctx.io.out(JSON.stringify(added.map((token) => viewToken(token, now, ctx.config.zone, ctx.config.thresholds)), null, 2));
      return;
    }
    added.forEach((token, index) => {
      const note = imported[index]?.note ?? '';
      const what = token.kind === 'vpp' ? '' : `${kindSpec(token.kind).title}, `;
      ctx.io.out(`Imported "${token.name}" (${what}expires ${token.expiresAt.setZone(ctx.config.zone).toISODate()}${note}).`);
    });
  });
}

/** Adds `inputs` through `add`, all or none, with a bar on a terminal when it takes more than a couple of seconds (a CSV of 100,000 rows). */
function addWithProgress<T>(
  ctx: CliContext,
  inputs: readonly TokenInput[],
  add: (inputs: readonly TokenInput[], onProgress: (done: number, total: number) => void) => T,
): T {
  const progress = ctx.progress('importing');
  try {
    return add(inputs, (done, total) => progress.update(done, total));
  } finally {
    progress.finish();
  }
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
  const webhooks = ctx.config.teamsWebhooks.map((webhook) => webhook.name);
  return parseTokenCsv(csv, decodeCsv(csv, bytes), ctx.config.zone, ctx.config.mdm, webhooks);
}

function fromFiles(ctx: CliContext, files: readonly string[], options: ImportOptions): Imported[] {
  if (files.length === 0) throw new InputError('import: no file given (expected one or more token or certificate files from Apple, or --csv FILE)');
  if (options.name !== undefined && files.length > 1) {
    throw new InputError('--name: one name cannot name several files (expected a single FILE with --name)');
  }
  if ((options.expires !== undefined || options.key !== undefined) && files.length > 1) {
    throw new InputError(`${options.expires === undefined ? '--key' : '--expires'}: applies to a single ADE server token (expected one FILE)`);
  }
  const fields = parseTokenOptions(options, ctx.config.teamsWebhooks.map((webhook) => webhook.name));
  const expires = options.expires === undefined ? null : parseDateInput(options.expires, ctx.config.zone, '--expires');
  const seen = new Map<string, string>();
  return files.map((file) => {
    const parsed = readCredentialFile(file, options.key ?? null);
    if (fields.kind !== undefined && fields.kind !== parsed.kind) {
      throw new InputError(`${file}: holds ${titleWithArticle(parsed.kind)}, not ${titleWithArticle(fields.kind)} (--kind ${fields.kind}; leave --kind out, the kind is read from the file)`);
    }
    if (expires !== null && parsed.kind !== 'ade') {
      throw new InputError(`--expires: ${file} holds ${titleWithArticle(parsed.kind)}, whose expiry is read from the file (expected --expires only with an ADE server token)`);
    }
    const { name: defaultName, expiresAt, downloadedAt, orgName, topic, note } = describe(file, parsed, fields.appleId ?? null, expires);
    const name = parseTokenName(options.name ?? defaultName, options.name === undefined ? `${file}: name` : '--name');
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new InputError(`${file}: same token name "${name}" as ${previous} (expected distinct names; import them one at a time with --name)`);
    }
    seen.set(name, file);
    if (topic !== null) {
      const holder = ctx.tokens.findByTopic(topic);
      if (holder !== null) {
        throw new InputError(`${file}: push topic ${quoted(topic)} is already registered as ${quoted(holder.name)} (a renewed certificate: run tokenwatch renew ${shellQuoted(holder.name)} --file ${file})`);
      }
    }
    return {
      note,
      input: {
        name,
        kind: parsed.kind,
        orgName,
        expiresAt,
        downloadedAt,
        ...describedFields(fields, ctx.config.mdm),
        fingerprint: parsed.fingerprint,
        topic,
      },
    };
  });
}

/** What a parsed file gives a new token: its default name, expiry, download date, organization, topic, and a note for the output. */
function describe(
  file: string,
  parsed: ParsedCredential,
  appleId: string | null,
  expires: DateTime | null,
): { name: string; expiresAt: DateTime; downloadedAt: DateTime | null; orgName: string | null; topic: string | null; note: string } {
  switch (parsed.kind) {
    case 'vpp':
      return { name: parsed.orgName, expiresAt: parsed.expiresAt, downloadedAt: null, orgName: parsed.orgName, topic: null, note: '' };
    case 'apns':
      return { name: appleId ?? parsed.topic, expiresAt: parsed.expiresAt, downloadedAt: null, orgName: null, topic: parsed.topic, note: `, topic ${parsed.topic}` };
    case 'ade':
      // The server token's file name carries the time Apple made it: its download date.
      return { name: parsed.serverName, downloadedAt: parsed.downloadedAt, orgName: null, topic: null, ...adeExpiry(file, parsed, expires) };
  }
}

/** An ADE token's expiry: --expires, else the decrypted date, else the estimate from the file name; said which. */
export function adeExpiry(
  file: string,
  parsed: Extract<ParsedCredential, { kind: 'ade' }>,
  expires: DateTime | null,
): { expiresAt: DateTime; note: string } {
  if (expires !== null) return { expiresAt: expires, note: ', as given by --expires' };
  if (parsed.expiresAt === null) {
    throw new InputError(`${file}: the file name carries no download time (expected <Server>_Token_<time>_smime.p7m); give --expires DATE or --key MDM_KEY.pem`);
  }
  if (!parsed.isEstimate) return { expiresAt: parsed.expiresAt, note: ', access_token_expiry read with --key' };
  const downloaded = parsed.downloadedAt?.toUTC().toFormat("yyyy-LL-dd HH:mm 'UTC'") ?? '?';
  return {
    expiresAt: parsed.expiresAt,
    note: `, an estimate: downloaded ${downloaded} per the file name, plus one year; --expires DATE or --key MDM_KEY.pem gives the exact date`,
  };
}

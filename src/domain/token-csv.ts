// Parses a CSV of tokens for `tokenwatch import --csv`: a header row, then one token per row. Pure; the whole file is
// accepted or the first bad row is reported as `FILE line N: …`.
import { parse } from 'csv-parse/sync';
import type { DateTime } from 'luxon';
import { InputError, quoted } from '../errors';
import { expiryFromDownload, parseDateInput } from './dates';
import type { TokenInput } from './token';
import {
  checkTeamsWebhook,
  parseAppleId,
  parseConsoleUrl,
  parseEmailList,
  parseKind,
  parseMdm,
  parseOrgGroup,
  parseSlackChannel,
  parseSlackChannelList,
  parseSlackMentions,
  parseTeamsWebhookList,
  parseTeamsWebhookName,
  parseThresholds,
  parseTokenName,
  parseTopic,
} from './token-fields';
import type { MdmName } from './kinds';

export const CSV_COLUMNS = [
  'name',
  'expires',
  'downloaded',
  'apple_id',
  'org_group',
  'email',
  'slack_channel',
  'kind',
  'thresholds',
  'notes',
  'mdm',
  'topic',
  'console_url',
  'teams',
  'escalate_email',
  'escalate_slack',
  'escalate_teams',
  'slack_mention',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** What each column holds, for `import --help` (docs/import.md documents the same columns; a test keeps them equal). */
export const CSV_COLUMN_HELP: Readonly<Record<Column, string>> = {
  name: 'token name (required, unique)',
  expires: 'expiry date, YYYY-MM-DD or ISO 8601 (this or downloaded is required)',
  downloaded: 'download date; the expiry is 12 months later (instead of expires)',
  apple_id: 'the Apple account that created the token',
  org_group: 'the console Organization Group where the token resides',
  email: 'email recipients, comma-separated in quotes (instead of the default ones)',
  slack_channel: 'Slack channel (instead of the default one)',
  kind: 'vpp, apns or ade (default vpp)',
  thresholds: 'reminder thresholds in days, e.g. "60,30,7" (instead of the default ones)',
  notes: 'free-form notes',
  mdm: 'the MDM console: workspace-one, jamf, intune or other (default TOKENWATCH_MDM)',
  topic: 'APNs only: the push topic, com.apple.mgmt.… (a renewal with another topic is refused)',
  console_url: "the token's page in the MDM console, https (instead of TOKENWATCH_CONSOLE_URL in its messages)",
  teams: 'Teams webhook by name, one of TOKENWATCH_TEAMS_WEBHOOKS (instead of the default one)',
  escalate_email: 'escalation email addresses, comma-separated in quotes (instead of TOKENWATCH_ESCALATE_EMAIL)',
  escalate_slack: 'escalation Slack channels or user IDs, comma-separated in quotes (instead of TOKENWATCH_ESCALATE_SLACK)',
  escalate_teams: 'escalation Teams webhook names, comma-separated in quotes (instead of TOKENWATCH_ESCALATE_TEAMS)',
  slack_mention: 'Slack user (U…, W…) or user-group (S…) IDs to mention, comma-separated in quotes (instead of TOKENWATCH_SLACK_MENTION)',
};

export const MAX_CSV_ROWS = 1_000_000;

const CSV_OPTIONS = { bom: true, trim: true, skip_empty_lines: true } as const;

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * The text of a CSV file, which must be UTF-8 (with or without a byte-order mark): a file in another encoding is
 * refused with the first line that is not UTF-8, instead of being stored with replacement characters.
 */
export function decodeCsv(label: string, bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let index = 0; index <= bytes.length; index += 1) {
      if (index === bytes.length || bytes[index] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, index));
        } catch {
          break;
        }
        line += 1;
        start = index + 1;
      }
    }
    throw new InputError(`${label} line ${line}: not UTF-8 text (expected a CSV file saved as UTF-8)`);
  }
}

/** CRLF pairs inside a record's quoted fields: the CSV parser counts each as two lines. */
function crlfCount(record: readonly string[]): number {
  let count = 0;
  for (const value of record) count += value.split('\r\n').length - 1;
  return count;
}

/**
 * The line each record of `text` (already parsed once without error) ends on, header first: csv-parse's count, less
 * the CRLFs inside quoted fields of this and earlier records.
 */
function recordEndLines(text: string): number[] {
  const records = parse(text, { ...CSV_OPTIONS, info: true }) as unknown as CsvRecord[];
  let extraLines = 0;
  return records.map(({ record, info }) => {
    extraLines += crlfCount(record);
    return info.lines - extraLines;
  });
}

/**
 * `defaultMdm` (TOKENWATCH_MDM) applies to rows without an `mdm` value; a `teams` value must be one of `teamsWebhooks`
 * (the configured webhook names) when any is configured.
 */
export function parseTokenCsv(
  label: string,
  text: string,
  zone: string,
  defaultMdm: MdmName = 'workspace-one',
  teamsWebhooks: readonly string[] = [],
): TokenInput[] {
  let records: string[][];
  try {
    // Without `info`: csv-parse then makes no object per record; the line numbers are needed only to report a bad row.
    records = parse(text, CSV_OPTIONS);
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    const reason = message.replace(/^[^:]*:\s*/, '').replace(/\s+on line \d+$/, '').split('\n')[0] ?? 'malformed';
    throw new InputError(`${label} line ${lines ?? '?'}: ${reason} (expected CSV with a header row)`);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new InputError(`${label}: empty (expected a header row such as name,expires)`);
  const columns = header.map((name) => name.toLowerCase());
  for (const column of columns) {
    if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
      throw new InputError(`${label} line 1: unknown column ${quoted(column)} (expected some of ${CSV_COLUMNS.join(', ')})`);
    }
  }
  if (new Set(columns).size !== columns.length) throw new InputError(`${label} line 1: a column appears twice (expected each once)`);
  if (!columns.includes('name') || (!columns.includes('expires') && !columns.includes('downloaded'))) {
    throw new InputError(`${label} line 1: missing columns (expected at least name and expires, or name and downloaded)`);
  }
  if (rows.length === 0) throw new InputError(`${label}: no rows (expected one token per line after the header)`);
  if (rows.length > MAX_CSV_ROWS) throw new InputError(`${label}: ${rows.length} rows (expected at most ${MAX_CSV_ROWS})`);

  let endLines: number[] | null = null;
  /** The line row `index` (0: the first after the header) ends on, counted once a message needs it. */
  const lineOf = (index: number): number => {
    endLines ??= recordEndLines(text);
    return endLines[index + 1] ?? 0;
  };
  /** The index of the row each name is on, so far. */
  const seen = new Map<string, number>();
  const indexOf = new Map<string, number>(columns.map((column, index) => [column, index]));
  // A registry of many tokens has few distinct dates: each is parsed once (DateTimes are immutable, so sharing is safe).
  const dates = new Map<string, DateTime>();
  const parseDate = (text: string, what: string): DateTime => {
    let parsed = dates.get(text);
    if (parsed === undefined) {
      parsed = parseDateInput(text, zone, what);
      dates.set(text, parsed);
    }
    return parsed;
  };
  const parseTeams = (value: string, what: string): string => checkTeamsWebhook(parseTeamsWebhookName(value, what), teamsWebhooks, what);
  const parseEscalateTeams = (value: string, what: string): string[] => parseTeamsWebhookList(value, what, teamsWebhooks);
  // The row being converted and the start of its messages, set by toInput: cell and optional read them, so that no
  // function is made per row (100,000 rows made 500,000 closures).
  let record: readonly string[] = [];
  let where = '';
  const cell = (column: Column): string | null => {
    const at = indexOf.get(column);
    const value = at === undefined ? undefined : record[at];
    return value === undefined || value === '' ? null : value;
  };
  const optional = <T>(column: Column, parse: (value: string, what: string) => T): T | null => {
    const value = cell(column);
    return value === null ? null : parse(value, where + column);
  };
  /** Row `index` as a token; `line`, the row's line, is only for messages. */
  const toInput = (row: readonly string[], index: number, line: number): TokenInput => {
    record = row;
    where = `${label} line ${line}: `;
    const name = parseTokenName(cell('name') ?? '', `${where}name`);
    const first = seen.get(name);
    if (first !== undefined) throw new InputError(`${where}name ${quoted(name)} already on line ${lineOf(first)} (expected unique names)`);
    const expires = cell('expires');
    const downloaded = cell('downloaded');
    if ((expires === null) === (downloaded === null)) {
      throw new InputError(`${where}give exactly one of expires and downloaded`);
    }
    const downloadedAt = downloaded === null ? null : parseDate(downloaded, `${where}downloaded`);
    const expiresAt = downloadedAt === null ? parseDate(expires ?? '', `${where}expires`) : expiryFromDownload(downloadedAt, zone);
    const kind = optional('kind', parseKind) ?? 'vpp';
    const topic = optional('topic', parseTopic);
    if (topic !== null && kind !== 'apns') {
      throw new InputError(`${where}topic: only an APNs push certificate has a topic (expected kind apns, or an empty topic)`);
    }
    const input: TokenInput = {
      name,
      kind,
      orgName: null,
      expiresAt,
      downloadedAt,
      appleId: optional('apple_id', parseAppleId),
      orgGroup: optional('org_group', parseOrgGroup),
      email: optional('email', parseEmailList),
      slackChannel: optional('slack_channel', parseSlackChannel),
      teams: optional('teams', parseTeams),
      escalateEmail: optional('escalate_email', parseEmailList),
      escalateSlack: optional('escalate_slack', parseSlackChannelList),
      escalateTeams: optional('escalate_teams', parseEscalateTeams),
      slackMentions: optional('slack_mention', parseSlackMentions),
      thresholds: optional('thresholds', parseThresholds),
      notes: cell('notes'),
      fingerprint: null,
      mdm: optional('mdm', parseMdm) ?? defaultMdm,
      topic,
      consoleUrl: optional('console_url', parseConsoleUrl),
    };
    seen.set(name, index);
    return input;
  };
  return rows.map((row, index) => {
    try {
      return toInput(row, index, 0);
    } catch (error) {
      // A bad row is converted again with its line counted: the conversion is pure and `seen` is set only after it
      // succeeds, so this throws the same error, naming the line. Counting lines for every row cost a tenth of an import.
      if (error instanceof InputError) toInput(row, index, lineOf(index));
      throw error;
    }
  });
}

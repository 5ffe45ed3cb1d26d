// Structured log lines on stderr with secrets redacted: one JSON object per line for machines (a pipe, a file, a
// service manager), or one readable line per event when stderr is a terminal.
import type pinoModule from 'pino';

export type LogFields = Record<string, unknown>;

/** The small logging interface the core depends on; `event` names what happened (e.g. `scan.done`). */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`, whatever its length (a three-letter password
 * is still a password); the longest first, so that a secret containing another is removed whole.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') result = result.split(secret).join('[redacted]');
  }
  return result;
}

// 'token' is not among them: in our log lines it is the token's name (the sToken's secret is never held past parsing).
const REDACTED_KEYS = ['password', 'pass', 'secret', 'slackToken', 'smtpUrl', 'authorization'];

export interface LoggerOptions {
  level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Secret values (SMTP password, Slack token) to strip from every line, wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go; stderr by default. */
  destination?: NodeJS.WritableStream;
  /** One readable line per event (`09:00:01 WARN  delivery.retrying token=Acme …`) instead of JSON: for a terminal. */
  isPretty?: boolean;
}

const PRETTY_LEVELS: Readonly<Record<string, string>> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

/** A value of a readable log line: bare when it is one simple word, else JSON-quoted so spaces and quotes stay clear. */
function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w.@:/+-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** A JSON log line as a person reads it at a terminal: time, level, event, then key=value pairs. */
export function prettyLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { time, level, event, ...fields } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const label = PRETTY_LEVELS[String(level)] ?? String(level).toUpperCase();
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${prettyValue(value)}`);
  return `${[clock, label, String(event), ...pairs].filter((part) => part !== '').join(' ')}\n`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  // Loaded on first use: commands that log nothing (list, show…) start faster without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pino = require('pino') as typeof pinoModule;
  const secrets = (options.secrets ?? []).filter((s) => s !== '');
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  const base = pino(
    {
      level: options.level ?? 'info',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => {
          const safe = secrets.length > 0 ? redact(line, secrets) : line;
          return options.isPretty === true ? prettyLine(safe) : safe;
        },
      },
    },
    destination,
  );
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (event: string, fields: LogFields = {}): void => {
      base[level]({ event, ...fields });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that keeps lines in memory (tests assert on events, never on sleeps). */
export function createMemoryLogger(): Logger & { readonly lines: { level: string; event: string; fields: LogFields }[] } {
  const lines: { level: string; event: string; fields: LogFields }[] = [];
  const at =
    (level: string) =>
    (event: string, fields: LogFields = {}): void => {
      lines.push({ level, event, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// The one validated configuration: defaults, then the config file, then environment variables.
// Validated once at start-up; everything below receives the frozen result and never reads process.env.
import fs from 'node:fs';
import path from 'node:path';
import { validateDetailed } from 'node-cron';
import { InputError, errorCode, quoted } from './errors';
import {
  MDM_SOURCE_ENVIRONMENT,
  MDM_SOURCE_FILE_KEYS,
  httpsUrl,
  mdmSourceSecrets,
  readMdmSourceSettings,
  type IntuneTenantSettings,
  type JamfServerSettings,
  type MdmSourceSettings,
} from './mdm-source-settings';
import type { EnabledChannels } from './domain/channel-name';
import { isValidZone } from './domain/dates';
import type { MdmName } from './domain/kinds';
import { hasControlCharacter, isEmailAddress, parseEmailList, parseMdm, parseSlackChannel, parseThresholds } from './domain/token-fields';
import { parsePasswordHash, type PasswordHash } from './http/password-hash';
import {
  ALL_WEEKDAYS,
  formatBypass,
  formatDailyHours,
  formatWeekdays,
  parseBypass,
  parseDailyHours,
  parseWeekdays,
  type DailyHours,
  type SendWindowBypass,
  type SendWindowPolicy,
  type Weekday,
} from './domain/send-window';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  readonly dbPath: string;
  readonly zone: string;
  readonly schedule: string;
  readonly thresholds: readonly number[];
  /** Days between repeated `expired` alerts; 0 turns repeats off. */
  readonly expiredRepeatDays: number;
  /** More than this many reminders due at once for one recipient go as one digest; 0 never digests. */
  readonly digestMin: number;
  /** Daily hours reminders may go out, in `zone`; null = any time. */
  readonly sendWindow: DailyHours | null;
  /** Days the send window opens on. */
  readonly sendDays: readonly Weekday[];
  /** Reminders that go out at once even outside the send window. */
  readonly sendWindowBypass: SendWindowBypass;
  /** SMTP URL with the password filled in; null when email is not configured. Secret. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly mailTo: readonly string[];
  /** Slack bot token; null when Slack is not configured. Secret. */
  readonly slackToken: string | null;
  readonly slackChannel: string | null;
  readonly slackApiUrl: string;
  /** Named Teams Workflows webhooks (TOKENWATCH_TEAMS_WEBHOOKS or its _FILE); empty when Teams is not configured. URLs are secrets. */
  readonly teamsWebhooks: readonly TeamsWebhook[];
  /** The webhook name reminders go to: TOKENWATCH_TEAMS_DEFAULT, or the only webhook; null when none. */
  readonly teamsDefault: string | null;
  /** The MDM console's address, offered as a button in reminders; null when not set. */
  readonly consoleUrl: string | null;
  readonly previewDir: string;
  readonly stepsDir: string;
  /** The MDM console a token is uploaded to when `add`/`import` is not told (`--mdm`, CSV column `mdm`). */
  readonly mdm: MdmName;
  readonly logLevel: LogLevel;
  /** First retry delay of a failed delivery; doubles per attempt up to `retryMaxSeconds`. */
  readonly retryBaseSeconds: number;
  readonly retryMaxSeconds: number;
  /**
   * The longest one channel spends on one message: Slack's whole call including its quick retries, SMTP's
   * connection, greeting and socket-inactivity timeouts. Longer waits are left to the outbox's backoff.
   */
  readonly sendTimeoutSeconds: number;
  /** After this long, a delivery pass takes no new sends; what is left stays queued for the next pass. */
  readonly deliveryBudgetSeconds: number;
  /** How long a daemon's lease lasts without a heartbeat before another daemon may take over. */
  readonly leaseSeconds: number;
  /** Where the daemon serves /healthz, /metrics and the status page; null when turned off. */
  readonly httpAddress: ListenAddress | null;
  /** Bearer token the page and /metrics accept; null for none. Secret (environment or secret file only). */
  readonly httpToken: string | null;
  /** HTTP Basic user name; set together with `httpPasswordHash`. */
  readonly httpUser: string | null;
  /** scrypt hash of the HTTP Basic password (environment or secret file only). */
  readonly httpPasswordHash: PasswordHash | null;
  /** Serve without authentication on a non-loopback address (a proxy in front authenticates). */
  readonly httpPublic: boolean;
  /** /healthz asks for the same authentication as the page (it is open by default: it says nothing about tokens). */
  readonly httpAuthHealthz: boolean;
  /** The token folder a source reads (TOKENWATCH_TOKEN_DIR); null when there is none. */
  readonly tokenDir: string | null;
  /** A source failing this many hours alerts once ("cannot read"), and once when it recovers. */
  readonly sourceStaleHours: number;
  /** Whether the VPP tokens of the token folder are checked with Apple's client/config (read-only). */
  readonly appleCheck: boolean;
  /** Microsoft Graph and the Microsoft identity platform (national clouds have their own), for the Intune source. */
  readonly graphUrl: string;
  readonly azureLoginUrl: string;
  /** Intune tenants and Jamf Pro servers to read (their client secrets are secrets). */
  readonly intuneTenants: readonly IntuneTenantSettings[];
  readonly jamfServers: readonly JamfServerSettings[];
  /** Apple's Apps and Books API base URL. */
  readonly appleVppUrl: string;
  /** Secret values to redact from every log line and error. */
  readonly secrets: readonly string[];
}

/** A TCP address to listen on; port 0 lets the system pick a free port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:9412` or `[::1]:9412`. */
export function formatAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export const DEFAULT_CONFIG_FILE = 'config/tokenwatch.json';

type Env = Readonly<Record<string, string | undefined>>;

interface Setting<K extends keyof Config> {
  readonly key: K;
  readonly env: string;
  /** Key in the config file; absent for secrets, which only come from the environment or a secret file. */
  readonly file?: string;
  readonly fallback: (env: Env) => string | null;
  readonly parse: (value: string, where: string) => Config[K];
}

function hostZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function wholeNumber(min: number, max: number) {
  return (value: string, where: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
      throw new InputError(`${where}: ${quoted(value)} is not valid (expected a whole number from ${min} to ${max})`);
    }
    return Number(value);
  };
}

/**
 * The sender of reminder emails: `address` or `Name <address>`, one line (a line break would let the value add
 * headers such as Bcc), with a real address (without one the mail has no From header).
 */
function mailFrom(value: string, where: string): string {
  const text = value.trim();
  const expected = 'expected an email address, or a name and an address such as "tokenwatch <tokenwatch@example.com>"';
  if (hasControlCharacter(text)) throw new InputError(`${where}: ${quoted(text)} contains a line break or control character (${expected})`);
  const match = /^(?:[^<>]*<([^<>]+)>|([^<>\s]+))$/.exec(text);
  const address = match?.[1] ?? match?.[2];
  if (address === undefined || !isEmailAddress(address.trim())) throw new InputError(`${where}: ${quoted(text)} is not an email address (${expected})`);
  return text;
}

function nonEmpty(value: string, where: string): string {
  if (value.trim() === '') throw new InputError(`${where}: is empty (expected a value)`);
  return value.trim();
}

function httpUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${where}: ${quoted(value)} is not a URL (expected e.g. https://slack.com/api/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${where}: ${quoted(value)} is not an http(s) URL (expected e.g. https://slack.com/api/)`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** An http(s) address of a page (the console), kept as given: unlike an API base, no slash is added. */
function pageUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(`${where}: ${quoted(value)} is not a URL (expected e.g. https://uem.example.com/AirWatch)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${where}: ${quoted(value)} is not an http(s) URL (expected e.g. https://uem.example.com/AirWatch)`);
  }
  return url.href;
}

function smtpUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${where}: not a URL (expected smtp://user:password@host:587 or smtps://host:465)`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new InputError(`${where}: scheme ${quoted(url.protocol)} is not supported (expected smtp:// or smtps://)`);
  }
  return value.trim();
}

/**
 * `HOST:PORT` (`127.0.0.1:9412`, `0.0.0.0:9412`, `[::1]:9412`, `localhost:9412`) or `off`. No scheme, no path:
 * this is where the daemon's own HTTP server listens.
 */
export function parseListenAddress(value: string, where: string): ListenAddress | null {
  const text = value.trim();
  if (text.toLowerCase() === 'off') return null;
  const expected = '(expected HOST:PORT such as 127.0.0.1:9412, [::1]:9412 or 0.0.0.0:9412, or "off")';
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  const isIpv6 = match?.[1] !== undefined;
  const isHostValid = host !== undefined && (isIpv6 ? host.includes(':') : /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host));
  if (match === null || host === undefined || !isHostValid || !Number.isInteger(port) || port > 65535) {
    throw new InputError(`${where}: ${quoted(value)} is not a listen address ${expected}`);
  }
  return { host, port };
}

function yesNo(value: string, where: string): boolean {
  const text = value.trim().toLowerCase();
  if (['yes', 'true', '1'].includes(text)) return true;
  if (['no', 'false', '0'].includes(text)) return false;
  throw new InputError(`${where}: ${quoted(value)} is not valid (expected yes or no)`);
}

function httpToken(value: string, where: string): string {
  const token = value.trim();
  // RFC 6750 §2.1 b64token characters, so that clients can send it as `Authorization: Bearer <token>` unchanged.
  if (token.length < 16 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new InputError(`${where}: not a usable bearer token (expected at least 16 characters of A-Z a-z 0-9 - . _ ~ + /, e.g. from "openssl rand -hex 32")`);
  }
  return token;
}

function httpUser(value: string, where: string): string {
  const user = value.trim();
  if (user === '' || user.includes(':') || /[\u0000-\u001f]/.test(user)) {
    throw new InputError(`${where}: ${quoted(value)} is not a usable user name (expected a non-empty name without ":")`);
  }
  return user;
}

const SETTINGS: readonly Setting<keyof Config>[] = [
  { key: 'dbPath', env: 'TOKENWATCH_DB', file: 'database', fallback: () => 'data/tokenwatch.db', parse: nonEmpty },
  {
    key: 'zone',
    env: 'TOKENWATCH_TZ',
    file: 'timezone',
    fallback: () => hostZone(),
    parse: (value, where) => {
      if (!isValidZone(value)) throw new InputError(`${where}: ${quoted(value)} is not an IANA time zone (expected e.g. Europe/Paris)`);
      return value;
    },
  },
  {
    key: 'schedule',
    env: 'TOKENWATCH_SCHEDULE',
    file: 'schedule',
    fallback: () => '0 9 * * *',
    parse: (value, where) => {
      const result = validateDetailed(value.trim());
      if (!result.valid) {
        throw new InputError(`${where}: ${quoted(value)} is not a cron expression (expected e.g. "0 9 * * *": minute hour day month weekday)`);
      }
      return value.trim();
    },
  },
  { key: 'thresholds', env: 'TOKENWATCH_THRESHOLDS', file: 'thresholds', fallback: () => '60,30,7', parse: (v, w) => parseThresholds(v, w) },
  { key: 'expiredRepeatDays', env: 'TOKENWATCH_EXPIRED_REPEAT_DAYS', file: 'expiredRepeatDays', fallback: () => '7', parse: wholeNumber(0, 365) },
  { key: 'digestMin', env: 'TOKENWATCH_DIGEST_MIN', file: 'digestMin', fallback: () => '3', parse: wholeNumber(0, 1000) },
  { key: 'sendWindow', env: 'TOKENWATCH_SEND_WINDOW', file: 'sendWindow', fallback: () => null, parse: parseDailyHours },
  { key: 'sendDays', env: 'TOKENWATCH_SEND_DAYS', file: 'sendDays', fallback: () => 'mon-sun', parse: parseWeekdays },
  {
    key: 'sendWindowBypass',
    env: 'TOKENWATCH_SEND_WINDOW_BYPASS',
    file: 'sendWindowBypass',
    fallback: () => 'expired,smallest',
    parse: parseBypass,
  },
  { key: 'smtpUrl', env: 'TOKENWATCH_SMTP_URL', fallback: (env) => readSecretFile(env, 'TOKENWATCH_SMTP_URL_FILE'), parse: smtpUrl },
  { key: 'mailFrom', env: 'TOKENWATCH_MAIL_FROM', file: 'mailFrom', fallback: () => 'tokenwatch <tokenwatch@localhost>', parse: mailFrom },
  { key: 'mailTo', env: 'TOKENWATCH_MAIL_TO', file: 'mailTo', fallback: () => null, parse: (v, w) => parseEmailList(v, w) },
  { key: 'slackToken', env: 'SLACK_BOT_TOKEN', fallback: (env) => readSecretFile(env, 'SLACK_BOT_TOKEN_FILE'), parse: nonEmpty },
  { key: 'slackChannel', env: 'TOKENWATCH_SLACK_CHANNEL', file: 'slackChannel', fallback: () => null, parse: (v, w) => parseSlackChannel(v, w) },
  { key: 'slackApiUrl', env: 'TOKENWATCH_SLACK_API_URL', file: 'slackApiUrl', fallback: () => 'https://slack.com/api/', parse: httpUrl },
  {
    key: 'teamsWebhooks',
    env: 'TOKENWATCH_TEAMS_WEBHOOKS',
    fallback: (env) => readSecretFile(env, 'TOKENWATCH_TEAMS_WEBHOOKS_FILE'),
    parse: parseTeamsWebhooks,
  },
  { key: 'teamsDefault', env: 'TOKENWATCH_TEAMS_DEFAULT', file: 'teamsDefault', fallback: () => null, parse: teamsWebhookName },
  { key: 'consoleUrl', env: 'TOKENWATCH_CONSOLE_URL', file: 'consoleUrl', fallback: () => null, parse: pageUrl },
  { key: 'previewDir', env: 'TOKENWATCH_PREVIEW_DIR', file: 'previewDir', fallback: () => 'data/outbox-preview', parse: nonEmpty },
  { key: 'stepsDir', env: 'TOKENWATCH_STEPS_DIR', file: 'stepsDir', fallback: () => 'config/steps', parse: nonEmpty },
  { key: 'mdm', env: 'TOKENWATCH_MDM', file: 'mdm', fallback: () => 'workspace-one', parse: (v, w) => parseMdm(v, w) },
  {
    key: 'logLevel',
    env: 'TOKENWATCH_LOG_LEVEL',
    file: 'logLevel',
    fallback: () => 'info',
    parse: (value, where) => {
      const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
      const level = levels.find((l) => l === value.trim());
      if (level === undefined) throw new InputError(`${where}: ${quoted(value)} is not a log level (expected one of ${levels.join(', ')})`);
      return level;
    },
  },
  { key: 'retryBaseSeconds', env: 'TOKENWATCH_RETRY_BASE_SECONDS', file: 'retryBaseSeconds', fallback: () => '60', parse: wholeNumber(1, 86400) },
  { key: 'retryMaxSeconds', env: 'TOKENWATCH_RETRY_MAX_SECONDS', file: 'retryMaxSeconds', fallback: () => '3600', parse: wholeNumber(1, 604800) },
  { key: 'sendTimeoutSeconds', env: 'TOKENWATCH_SEND_TIMEOUT_SECONDS', file: 'sendTimeoutSeconds', fallback: () => '30', parse: wholeNumber(1, 600) },
  {
    key: 'deliveryBudgetSeconds',
    env: 'TOKENWATCH_DELIVERY_BUDGET_SECONDS',
    file: 'deliveryBudgetSeconds',
    fallback: () => '300',
    parse: wholeNumber(1, 86400),
  },
  { key: 'leaseSeconds', env: 'TOKENWATCH_LEASE_SECONDS', file: 'leaseSeconds', fallback: () => '60', parse: wholeNumber(2, 3600) },
  { key: 'httpAddress', env: 'TOKENWATCH_HTTP', file: 'http', fallback: () => '127.0.0.1:9412', parse: parseListenAddress },
  { key: 'httpToken', env: 'TOKENWATCH_HTTP_TOKEN', fallback: (env) => readSecretFile(env, 'TOKENWATCH_HTTP_TOKEN_FILE'), parse: httpToken },
  { key: 'httpUser', env: 'TOKENWATCH_HTTP_USER', fallback: () => null, parse: httpUser },
  {
    key: 'httpPasswordHash',
    env: 'TOKENWATCH_HTTP_PASSWORD_HASH',
    fallback: (env) => readSecretFile(env, 'TOKENWATCH_HTTP_PASSWORD_HASH_FILE'),
    parse: parsePasswordHash,
  },
  { key: 'httpPublic', env: 'TOKENWATCH_HTTP_PUBLIC', file: 'httpPublic', fallback: () => 'no', parse: yesNo },
  { key: 'httpAuthHealthz', env: 'TOKENWATCH_HTTP_AUTH_HEALTHZ', file: 'httpAuthHealthz', fallback: () => 'no', parse: yesNo },
  { key: 'tokenDir', env: 'TOKENWATCH_TOKEN_DIR', file: 'tokenDir', fallback: () => null, parse: nonEmpty },
  { key: 'sourceStaleHours', env: 'TOKENWATCH_SOURCE_STALE_HOURS', file: 'sourceStaleHours', fallback: () => '48', parse: wholeNumber(1, 8760) },
  { key: 'appleCheck', env: 'TOKENWATCH_APPLE_CHECK', file: 'appleCheck', fallback: () => 'off', parse: onOff },
  { key: 'graphUrl', env: 'TOKENWATCH_GRAPH_URL', file: 'graphUrl', fallback: () => 'https://graph.microsoft.com/', parse: httpsUrl },
  { key: 'azureLoginUrl', env: 'TOKENWATCH_AZURE_LOGIN_URL', file: 'azureLoginUrl', fallback: () => 'https://login.microsoftonline.com/', parse: httpsUrl },
  {
    key: 'appleVppUrl',
    env: 'TOKENWATCH_APPLE_VPP_URL',
    file: 'appleVppUrl',
    fallback: () => 'https://vpp.itunes.apple.com/mdm/v2/',
    parse: httpUrl,
  },
];

function onOff(value: string, where: string): boolean {
  const text = value.trim().toLowerCase();
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new InputError(`${where}: ${quoted(value)} is not valid (expected on or off)`);
}

/** Reads a secret from the file named by `env[variable]`; null when the variable is unset. */
function readSecretFile(env: Env, variable: string): string | null {
  const file = env[variable];
  if (file === undefined || file === '') return null;
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = errorCode(error) ?? 'unreadable';
    throw new InputError(`${variable}: cannot read ${quoted(file)} (${code}; expected a readable file holding the secret)`);
  }
}

/**
 * Values as strings, keyed by file key; arrays become comma-separated lists. The MDM source lists (objects) are
 * kept as parsed, in `lists`.
 */
function readConfigFile(file: string, isExplicit: boolean, lists: Map<string, unknown>): Map<string, string> {
  const values = new Map<string, string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && !isExplicit) return values;
    throw new InputError(`${file}: cannot read the config file (${code ?? 'error'}; expected a JSON file)`);
  }
  let parsed: unknown;
  try {
    // A byte-order mark (some Windows editors write one) is not part of the JSON.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${file}: expected a JSON object of settings`);
  }
  const known = new Set([...SETTINGS.flatMap((s) => (s.file === undefined ? [] : [s.file])), ...MDM_SOURCE_FILE_KEYS]);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) {
      const secret = ['smtpUrl', 'slackToken', 'slackBotToken', 'password', 'httpToken', 'httpPassword', 'httpPasswordHash', 'intuneClientSecret', 'jamfClientSecret', 'clientSecret', 'teamsWebhooks'].includes(key);
      problems.push(
        secret
          ? `${file}: "${key}" is a secret and is not read from the config file (expected it in the environment or a secret file)`
          : `${file}: unknown setting ${quoted(key)} (expected one of ${[...known].join(', ')})`,
      );
    } else if ((MDM_SOURCE_FILE_KEYS as readonly string[]).includes(key)) lists.set(key, value);
    else if (Array.isArray(value)) values.set(key, value.map(String).join(','));
    else if (typeof value === 'string' || typeof value === 'number') values.set(key, String(value));
    else problems.push(`${file}: "${key}" must be a string, a number or a list`);
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return values;
}

export interface LoadConfigOptions {
  /** `--config` from the command line; wins over TOKENWATCH_CONFIG. */
  readonly configFile?: string | undefined;
  readonly env?: Env;
  /** Folder relative paths are resolved against (the working directory by default). */
  readonly cwd?: string;
}

/**
 * Loads and validates the configuration. Throws one InputError whose message has one line per problem,
 * each naming the setting and what was expected.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicitFile = options.configFile ?? env['TOKENWATCH_CONFIG'];
  const configFile = path.resolve(cwd, explicitFile ?? DEFAULT_CONFIG_FILE);
  const fileLists = new Map<string, unknown>();
  const fileValues = readConfigFile(configFile, explicitFile !== undefined, fileLists);

  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const fromEnv = env[setting.env];
    const fromFile = setting.file === undefined ? undefined : fileValues.get(setting.file);
    let raw: string | null;
    let where: string;
    try {
      if (fromEnv !== undefined && fromEnv !== '') {
        raw = fromEnv;
        where = setting.env;
      } else if (fromFile !== undefined) {
        raw = fromFile;
        where = `${path.relative(cwd, configFile) || configFile}: ${setting.file}`;
      } else {
        raw = setting.fallback(env);
        where = setting.env;
      }
      result[setting.key] = raw === null ? (setting.key === 'mailTo' || setting.key === 'teamsWebhooks' ? [] : null) : setting.parse(raw, where);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const base = result['retryBaseSeconds'];
  const max = result['retryMaxSeconds'];
  if (typeof base === 'number' && typeof max === 'number' && max < base) {
    problems.push(`TOKENWATCH_RETRY_MAX_SECONDS: ${max} is below TOKENWATCH_RETRY_BASE_SECONDS ${base} (expected max >= base)`);
  }
  const hasUser = result['httpUser'] !== null && result['httpUser'] !== undefined;
  const hasHash = result['httpPasswordHash'] !== null && result['httpPasswordHash'] !== undefined;
  if (hasUser !== hasHash && !problems.some((p) => p.startsWith('TOKENWATCH_HTTP_'))) {
    problems.push(
      hasUser
        ? 'TOKENWATCH_HTTP_USER: set without a password hash (expected TOKENWATCH_HTTP_PASSWORD_HASH or TOKENWATCH_HTTP_PASSWORD_HASH_FILE too)'
        : 'TOKENWATCH_HTTP_PASSWORD_HASH: set without a user name (expected TOKENWATCH_HTTP_USER too)',
    );
  }
  const teams = (result['teamsWebhooks'] ?? []) as readonly TeamsWebhook[];
  if (typeof result['teamsDefault'] === 'string') {
    const name = result['teamsDefault'];
    if (!teams.some((webhook) => webhook.name === name)) {
      problems.push(`TOKENWATCH_TEAMS_DEFAULT: ${quoted(name)} is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: ${teams.map((w) => w.name).join(', ') || 'none set'})`);
    }
  } else if (teams.length === 1) result['teamsDefault'] = teams[0]?.name ?? null;
  if (result['appleCheck'] === true && result['tokenDir'] === null) {
    problems.push('TOKENWATCH_APPLE_CHECK: on, but no token folder (expected TOKENWATCH_TOKEN_DIR: Apple is asked about the tokens in it)');
  }
  try {
    const mdm = readMdmSourceSettings(env, fileLists, path.relative(cwd, configFile) || configFile);
    result['intuneTenants'] = mdm.intuneTenants;
    result['jamfServers'] = mdm.jamfServers;
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));

  for (const key of ['dbPath', 'previewDir', 'stepsDir'] as const) {
    result[key] = path.resolve(cwd, result[key] as string);
  }
  result['secrets'] = [
    ...collectSecrets(result['smtpUrl'] as string | null, result['slackToken'] as string | null),
    ...(result['httpToken'] === null ? [] : [result['httpToken'] as string]),
    ...((result['teamsWebhooks'] ?? []) as readonly TeamsWebhook[]).map((webhook) => webhook.url),
    ...mdmSourceSecrets(result as unknown as MdmSourceSettings),
  ];
  if (typeof result['tokenDir'] === 'string') result['tokenDir'] = path.resolve(cwd, result['tokenDir']);
  return Object.freeze(result as unknown as Config);
}

function collectSecrets(smtp: string | null, slackToken: string | null): string[] {
  const secrets: string[] = [];
  if (slackToken !== null) secrets.push(slackToken);
  if (smtp !== null) {
    try {
      const password = new URL(smtp).password;
      if (password !== '') secrets.push(password, decodeURIComponent(password));
    } catch {
      // Already validated as a URL above.
    }
  }
  return secrets;
}

/** Which delivery channels are configured: preview stands in when neither SMTP, Slack nor Teams is set. */
export function configuredChannels(config: Config): EnabledChannels {
  const email = config.smtpUrl !== null;
  const slack = config.slackToken !== null;
  const teams = config.teamsWebhooks.length > 0;
  return { email, slack, teams, preview: !email && !slack && !teams };
}

/** One named Teams Workflows webhook; its URL carries a signature and is a secret. */
export interface TeamsWebhook {
  readonly name: string;
  readonly url: string;
}

/** A webhook name: letters, digits, `-` and `_`, as tokens name it (`--teams mdm`). */
function teamsWebhookName(value: string, where: string): string {
  const name = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(name)) {
    throw new InputError(`${where}: ${quoted(name)} is not a webhook name (expected letters, digits, - or _, e.g. mdm)`);
  }
  return name;
}

/**
 * `mdm=https://…,ops=https://…` (commas or new lines between entries). The URLs are never quoted in an error:
 * each carries the signature that lets anyone post to the channel.
 */
function parseTeamsWebhooks(value: string, where: string): TeamsWebhook[] {
  const webhooks: TeamsWebhook[] = [];
  const entries = value.split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new InputError(`${where}: is empty (expected name=https://… entries, e.g. mdm=https://…)`);
  for (const [index, entry] of entries.entries()) {
    const equals = entry.indexOf('=');
    // An entry without `name=` starts with the URL itself (whose query has `=` too): never quote it.
    if (equals <= 0 || /[:/?]/.test(entry.slice(0, equals))) {
      throw new InputError(`${where}: entry ${index + 1} has no name (expected name=https://…, e.g. mdm=https://…)`);
    }
    const name = teamsWebhookName(entry.slice(0, equals), `${where}: entry ${index + 1}`);
    let url: URL | null;
    try {
      url = new URL(entry.slice(equals + 1).trim());
    } catch {
      url = null;
    }
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new InputError(`${where}: the URL of ${quoted(name)} is not an http(s) URL (expected name=https://…)`);
    }
    if (webhooks.some((webhook) => webhook.name === name)) throw new InputError(`${where}: ${quoted(name)} is named twice (expected each name once)`);
    webhooks.push({ name, url: url.href });
  }
  return webhooks;
}

/** The send window, or null when reminders may go out at any time (no hours set and every day allowed). */
export function sendWindowPolicy(config: Config): SendWindowPolicy | null {
  if (config.sendWindow === null && config.sendDays.length === ALL_WEEKDAYS.length) return null;
  return {
    window: { hours: config.sendWindow ?? { startMinute: 0, endMinute: 1440 }, days: config.sendDays },
    bypass: config.sendWindowBypass,
  };
}

/** The configuration as shown to an administrator: secrets only as set / not set. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { smtpUrl, slackToken, secrets: _secrets, httpToken, httpPasswordHash, teamsWebhooks: _teams, ...rest } = config;
  return {
    ...rest,
    sendWindow: config.sendWindow === null ? 'any time' : formatDailyHours(config.sendWindow),
    sendDays: formatWeekdays(config.sendDays),
    sendWindowBypass: formatBypass(config.sendWindowBypass),
    smtpUrl: smtpUrl === null ? 'not set' : redactUrlPassword(smtpUrl),
    slackToken: slackToken === null ? 'not set' : 'set',
    httpToken: httpToken === null ? 'not set' : 'set',
    httpPasswordHash: httpPasswordHash === null ? 'not set' : 'set',
    intuneTenants: config.intuneTenants.map(({ clientSecret: _secret, ...tenant }) => ({ ...tenant, clientSecret: 'set' })),
    teamsWebhooks: config.teamsWebhooks.map((webhook) => ({ name: webhook.name, url: 'set' })),
    jamfServers: config.jamfServers.map(({ clientSecret: _secret, ...server }) => ({ ...server, clientSecret: 'set' })),
  };
}

function redactUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = 'redacted';
    return parsed.href;
  } catch {
    return 'set';
  }
}

/** Every environment variable the configuration reads (settings, secret files, the config file's path). */
export function knownEnvironmentVariables(): string[] {
  return [
    ...SETTINGS.map((s) => s.env),
    'TOKENWATCH_SMTP_URL_FILE',
    'SLACK_BOT_TOKEN_FILE',
    'TOKENWATCH_HTTP_TOKEN_FILE',
    'TOKENWATCH_HTTP_PASSWORD_HASH_FILE',
    ...MDM_SOURCE_ENVIRONMENT,
    'TOKENWATCH_CONFIG',
  ];
}

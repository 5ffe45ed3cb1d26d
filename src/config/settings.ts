// The settings table: one row per setting with its environment variable, its config-file key (none for secrets), its
// default and its parser. Add a setting as one row here and its field in config.ts; settings that hold lists of
// objects (the MDM sources) have their own reader (mdm-sources.ts).
import os from 'node:os';
import { InputError, quoted } from '../errors';
import { isValidZone } from '../domain/dates';
import { parseBypass, parseDailyHours, parseWeekdays } from '../domain/send-window';
import {
  parseEmailList,
  parseMdm,
  parseSlackChannel,
  parseSlackChannelList,
  parseSlackMentions,
  parseTeamsWebhookList,
  parseThresholds,
} from '../domain/token-fields';
import { parseHeartbeatKind, parseHeartbeatUrl } from '../domain/heartbeat';
import { isValidCronExpression } from './cron-expression';
import { parsePasswordHash } from './password-hash-format';
import type { Config, LogLevel } from './config';
import {
  httpToken,
  httpUrl,
  httpUser,
  httpsUrl,
  mailFrom,
  nonEmpty,
  onOff,
  pageUrl,
  parseListenAddress,
  parseTeamsWebhooks,
  smtpUrl,
  teamsWebhookName,
  wholeNumber,
  yesNo,
} from './parsers';
import type { Env } from './secret-file';
import { parseNamedWebhooks, parseWebhookSecret, parseWebhookUrl } from './webhooks';

export interface Setting<K extends keyof Config> {
  readonly key: K;
  readonly env: string;
  /** Key in the config file; absent for secrets, which only come from the environment or a secret file. */
  readonly file?: string;
  /** For a secret: the variable naming a file that holds it (Docker and Kubernetes secrets), read when `env` is unset. */
  readonly secretFile?: string;
  /** The default, as a raw value; null leaves the setting unset. */
  readonly fallback: (env: Env) => string | null;
  readonly parse: (value: string, where: string) => Config[K];
}

/** `tokenwatch <tokenwatch@HOST>` with this host's name: relays refuse @localhost far more often (doctor warns either way). */
export function defaultMailFrom(hostname: string = os.hostname()): string {
  const host = hostname.trim().toLowerCase().replace(/\.$/, '');
  // A host name that is not a valid domain (empty, odd characters) falls back to localhost; doctor warns about both.
  return `tokenwatch <tokenwatch@${/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(host) ? host : 'localhost'}>`;
}

function hostZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const SETTINGS: readonly Setting<keyof Config>[] = [
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
      if (!isValidCronExpression(value.trim())) {
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
  { key: 'smtpUrl', env: 'TOKENWATCH_SMTP_URL', secretFile: 'TOKENWATCH_SMTP_URL_FILE', fallback: () => null, parse: smtpUrl },
  { key: 'mailFrom', env: 'TOKENWATCH_MAIL_FROM', file: 'mailFrom', fallback: () => defaultMailFrom(), parse: mailFrom },
  { key: 'mailTo', env: 'TOKENWATCH_MAIL_TO', file: 'mailTo', fallback: () => null, parse: (v, w) => parseEmailList(v, w) },
  { key: 'slackToken', env: 'SLACK_BOT_TOKEN', secretFile: 'SLACK_BOT_TOKEN_FILE', fallback: () => null, parse: nonEmpty },
  { key: 'slackChannel', env: 'TOKENWATCH_SLACK_CHANNEL', file: 'slackChannel', fallback: () => null, parse: (v, w) => parseSlackChannel(v, w) },
  { key: 'slackApiUrl', env: 'TOKENWATCH_SLACK_API_URL', file: 'slackApiUrl', fallback: () => 'https://slack.com/api/', parse: httpUrl },
  {
    key: 'teamsWebhooks',
    env: 'TOKENWATCH_TEAMS_WEBHOOKS',
    secretFile: 'TOKENWATCH_TEAMS_WEBHOOKS_FILE',
    fallback: () => null,
    parse: parseTeamsWebhooks,
  },
  { key: 'teamsDefault', env: 'TOKENWATCH_TEAMS_DEFAULT', file: 'teamsDefault', fallback: () => null, parse: teamsWebhookName },
  { key: 'escalateEmail', env: 'TOKENWATCH_ESCALATE_EMAIL', file: 'escalateEmail', fallback: () => null, parse: (v, w) => parseEmailList(v, w) },
  { key: 'escalateSlack', env: 'TOKENWATCH_ESCALATE_SLACK', file: 'escalateSlack', fallback: () => null, parse: (v, w) => parseSlackChannelList(v, w) },
  // The names are checked against TOKENWATCH_TEAMS_WEBHOOKS in load.ts, once both are read.
  { key: 'escalateTeams', env: 'TOKENWATCH_ESCALATE_TEAMS', file: 'escalateTeams', fallback: () => null, parse: (v, w) => parseTeamsWebhookList(v, w, []) },
  { key: 'slackMentions', env: 'TOKENWATCH_SLACK_MENTION', file: 'slackMention', fallback: () => null, parse: (v, w) => parseSlackMentions(v, w) },
  { key: 'webhookUrl', env: 'TOKENWATCH_WEBHOOK_URL', secretFile: 'TOKENWATCH_WEBHOOK_URL_FILE', fallback: () => null, parse: parseWebhookUrl },
  { key: 'webhooks', env: 'TOKENWATCH_WEBHOOKS', secretFile: 'TOKENWATCH_WEBHOOKS_FILE', fallback: () => null, parse: parseNamedWebhooks },
  { key: 'webhookSecret', env: 'TOKENWATCH_WEBHOOK_SECRET', secretFile: 'TOKENWATCH_WEBHOOK_SECRET_FILE', fallback: () => null, parse: parseWebhookSecret },
  { key: 'consoleUrl', env: 'TOKENWATCH_CONSOLE_URL', file: 'consoleUrl', fallback: () => null, parse: pageUrl },
  { key: 'heartbeatUrl', env: 'TOKENWATCH_HEARTBEAT_URL', secretFile: 'TOKENWATCH_HEARTBEAT_URL_FILE', fallback: () => null, parse: parseHeartbeatUrl },
  { key: 'heartbeatKind', env: 'TOKENWATCH_HEARTBEAT_KIND', file: 'heartbeatKind', fallback: () => null, parse: parseHeartbeatKind },
  {
    key: 'heartbeatTimeoutSeconds',
    env: 'TOKENWATCH_HEARTBEAT_TIMEOUT_SECONDS',
    file: 'heartbeatTimeoutSeconds',
    fallback: () => '10',
    parse: wholeNumber(1, 120),
  },
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
  { key: 'httpToken', env: 'TOKENWATCH_HTTP_TOKEN', secretFile: 'TOKENWATCH_HTTP_TOKEN_FILE', fallback: () => null, parse: httpToken },
  { key: 'httpUser', env: 'TOKENWATCH_HTTP_USER', fallback: () => null, parse: httpUser },
  {
    key: 'httpPasswordHash',
    env: 'TOKENWATCH_HTTP_PASSWORD_HASH',
    secretFile: 'TOKENWATCH_HTTP_PASSWORD_HASH_FILE',
    fallback: () => null,
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

// Loads the one validated configuration in layers: each setting's default, then the config file, then the
// environment (and secret files); then the rules between settings. Validated once at start-up; everything below
// receives the frozen result and never reads process.env.
import path from 'node:path';
import { InputError, quoted } from '../errors';
import type { Config, MdmSourceSettings, NamedWebhook, TeamsWebhook } from './config';
import { readConfigFile } from './config-file';
import { mdmSourceSecrets, readMdmSourceSettings } from './mdm-sources';
import { readSecretFile, type Env } from './secret-file';
import { SETTINGS } from './settings';
import { webhooksOf } from './webhooks';

export const DEFAULT_CONFIG_FILE = 'config/tokenwatch.json';

export interface LoadConfigOptions {
  /** `--config` from the command line; wins over TOKENWATCH_CONFIG. */
  readonly configFile?: string | undefined;
  readonly env?: Env;
  /** Folder relative paths are resolved against (the working directory by default). */
  readonly cwd?: string;
}

/** Settings that are lists: empty, not null, when unset. */
const LIST_SETTINGS: ReadonlySet<keyof Config> = new Set<keyof Config>(['mailTo', 'teamsWebhooks', 'escalateEmail', 'escalateSlack', 'escalateTeams', 'slackMentions', 'webhooks']);

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
        raw = (setting.secretFile === undefined ? null : readSecretFile(env, setting.secretFile)) ?? setting.fallback(env);
        where = setting.env;
      }
      result[setting.key] = raw === null ? (LIST_SETTINGS.has(setting.key) ? [] : null) : setting.parse(raw, where);
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
  for (const name of (result['escalateTeams'] ?? []) as readonly string[]) {
    if (teams.length > 0 && !teams.some((webhook) => webhook.name === name)) {
      problems.push(`TOKENWATCH_ESCALATE_TEAMS: ${quoted(name)} is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: ${teams.map((w) => w.name).join(', ')})`);
    }
  }
  const webhooks = webhooksOf(
    (result['webhookUrl'] ?? null) as string | null,
    (result['webhooks'] ?? []) as readonly NamedWebhook[],
    (result['webhookSecret'] ?? null) as string | null,
  );
  result['webhooks'] = webhooks.webhooks;
  if (!problems.some((p) => p.startsWith('TOKENWATCH_WEBHOOK'))) problems.push(...webhooks.problems);
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
    ...(typeof result['heartbeatUrl'] === 'string' ? [result['heartbeatUrl']] : []),
    ...((result['teamsWebhooks'] ?? []) as readonly TeamsWebhook[]).map((webhook) => webhook.url),
    ...mdmSourceSecrets(result as unknown as MdmSourceSettings),
    ...webhooks.webhooks.map((webhook) => webhook.url),
    ...(typeof result['webhookSecret'] === 'string' ? [result['webhookSecret']] : []),
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

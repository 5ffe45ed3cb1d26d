// The signed-webhook settings' parsers and their rule: the receivers' URLs and the signing secret are all secrets
// (environment or secret file only, rows in settings.ts), and no error quotes a URL or the secret.
//   TOKENWATCH_WEBHOOK_URL (or _FILE)      one receiver, named "default"
//   TOKENWATCH_WEBHOOKS (or _FILE)         several: name=https://…, separated by commas or new lines
//   TOKENWATCH_WEBHOOK_SECRET (or _FILE)   the HMAC-SHA256 key, at least 16 characters; needed once a URL is set
import { InputError, quoted } from '../errors';
import type { NamedWebhook } from './config';

/** The name TOKENWATCH_WEBHOOK_URL's receiver goes by. */
export const DEFAULT_WEBHOOK_NAME = 'default';
const SECRET_MIN = 16;

/** An http(s) URL, normalised; the error never shows it (it may carry a token). */
export function parseWebhookUrl(value: string, where: string): string {
  let url: URL | null;
  try {
    url = new URL(value.trim());
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(`${where}: not an http(s) URL (expected https://…)`);
  }
  return url.href;
}

function webhookName(value: string, where: string): string {
  const name = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(name)) {
    throw new InputError(`${where}: ${quoted(name)} is not a webhook name (expected letters, digits, - or _, e.g. siem)`);
  }
  return name;
}

/** `siem=https://…,tickets=https://…` (commas or new lines between entries). */
export function parseNamedWebhooks(value: string, where: string): NamedWebhook[] {
  const entries = value.split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new InputError(`${where}: is empty (expected name=https://… entries, e.g. siem=https://…)`);
  const webhooks: NamedWebhook[] = [];
  for (const [index, entry] of entries.entries()) {
    const equals = entry.indexOf('=');
    // An entry without `name=` starts with the URL itself (whose query may have `=` too): never quote it.
    if (equals <= 0 || /[:/?]/.test(entry.slice(0, equals))) {
      throw new InputError(`${where}: entry ${index + 1} has no name (expected name=https://…, e.g. siem=https://…)`);
    }
    const name = webhookName(entry.slice(0, equals), `${where}: entry ${index + 1}`);
    if (webhooks.some((webhook) => webhook.name === name)) throw new InputError(`${where}: ${quoted(name)} is named twice (expected each name once)`);
    webhooks.push({ name, url: parseWebhookUrl(entry.slice(equals + 1), `${where}: the URL of ${quoted(name)}`) });
  }
  return webhooks;
}

export function parseWebhookSecret(value: string, where: string): string {
  const secret = value.trim();
  if (secret.length < SECRET_MIN) throw new InputError(`${where}: too short (expected at least ${SECRET_MIN} characters, e.g. from "openssl rand -hex 32")`);
  return secret;
}

/**
 * Every receiver (TOKENWATCH_WEBHOOK_URL first, as "default", then TOKENWATCH_WEBHOOKS), or the problems: a name used
 * twice, a receiver without a signing secret.
 */
export function webhooksOf(single: string | null, named: readonly NamedWebhook[], secret: string | null): { webhooks: NamedWebhook[]; problems: string[] } {
  const problems: string[] = [];
  const webhooks = [...(single === null ? [] : [{ name: DEFAULT_WEBHOOK_NAME, url: single }]), ...named];
  if (single !== null && named.some((webhook) => webhook.name === DEFAULT_WEBHOOK_NAME)) {
    problems.push('TOKENWATCH_WEBHOOKS: "default" is TOKENWATCH_WEBHOOK_URL\'s name (expected another name, or only one of the two)');
  }
  if (webhooks.length > 0 && secret === null) {
    problems.push('TOKENWATCH_WEBHOOK_SECRET: not set, but a webhook is (expected a signing secret of at least 16 characters, or TOKENWATCH_WEBHOOK_SECRET_FILE)');
  }
  return { webhooks, problems };
}

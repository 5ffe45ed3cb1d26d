// Validation of the fields an administrator gives a token (CLI options, CSV columns, config). Pure; each failure is
// one InputError line that names the input (`what`) and what was expected.
import { InputError, quoted } from '../errors';
import { MDM_NAMES, MDM_PUSH_TOPIC_PREFIX, isMdmName, type MdmName } from './kinds';
import { TOKEN_KINDS, type TokenKind } from './token';

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators (U+0085 NEL is among C1). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const EMAIL = /^[^\s@<>(),;:"[\]\\\u0000-\u001f\u007f-\u009f\u2028\u2029]+@[^\s@<>(),;:"[\]\\\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/;

/** Whether `value` is one plain email address (no display name, no control characters). */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value) && value.length <= 254;
}

/** Whether `value` holds a line break or any control character. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

/** Length in characters as a reader counts them (code points: an emoji is one), not UTF-16 units. */
export function characterCount(value: string): number {
  return [...value].length;
}
// A channel name (#ops-mdm or ops-mdm) or a channel / user ID (C0123ABCD, G…, D…, U…).
const SLACK_CHANNEL = /^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGDUW][A-Z0-9]{7,20})$/;

export const MAX_THRESHOLD_DAYS = 3650;

function singleLine(value: string, what: string, label: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new InputError(`${what}: empty (expected ${label})`);
  if (CONTROL.test(trimmed)) throw new InputError(`${what}: ${quoted(trimmed)} contains a line break or control character (expected ${label} on one line)`);
  const length = characterCount(trimmed);
  if (length > max) throw new InputError(`${what}: ${quoted(trimmed)} is ${length} characters long (expected ${label} of at most ${max})`);
  return trimmed;
}

/**
 * A token's unique name: one line, at most 200 characters, not starting with "-" (the commands tokenwatch suggests,
 * such as `tokenwatch renew NAME`, would read it as an option).
 */
export function parseTokenName(value: string, what: string): string {
  const name = singleLine(value, what, 'a token name', 200);
  if (name.startsWith('-')) {
    throw new InputError(`${what}: ${quoted(name)} starts with "-" (expected a token name that does not: commands would read it as an option)`);
  }
  return name;
}

/** The organization a token belongs to, as Apple writes it in the token file: one line, at most 200 characters. */
export function parseOrgName(value: string, what: string): string {
  return singleLine(value, what, 'an organization name', 200);
}

export function parseKind(value: string, what: string): TokenKind {
  const kind = TOKEN_KINDS.find((k) => k === value.trim().toLowerCase());
  if (kind === undefined) throw new InputError(`${what}: ${quoted(value)} is not a token kind (expected one of ${TOKEN_KINDS.join(', ')})`);
  return kind;
}

/** The MDM console a token is uploaded to. */
export function parseMdm(value: string, what: string): MdmName {
  const mdm = value.trim().toLowerCase();
  if (!isMdmName(mdm)) throw new InputError(`${what}: ${quoted(value)} is not an MDM (expected one of ${MDM_NAMES.join(', ')})`);
  return mdm;
}

/** An MDM push topic: the APNs certificate's subject UID, `com.apple.mgmt.…`. */
export function parseTopic(value: string, what: string): string {
  const topic = singleLine(value, what, 'an MDM push topic', 255);
  if (!topic.startsWith(MDM_PUSH_TOPIC_PREFIX) || topic.length === MDM_PUSH_TOPIC_PREFIX.length || /\s/.test(topic)) {
    throw new InputError(`${what}: ${quoted(topic)} is not an MDM push topic (expected ${MDM_PUSH_TOPIC_PREFIX}…)`);
  }
  return topic;
}

/** The Apple account that created the token (usually an email or Managed Apple ID). */
export function parseAppleId(value: string, what: string): string {
  return singleLine(value, what, 'an Apple account', 320);
}

/** The console Organization Group path, e.g. `Global / Acme / iOS`. */
export function parseOrgGroup(value: string, what: string): string {
  return singleLine(value, what, 'an Organization Group path', 500);
}

/** Comma-separated email addresses; at least one, at most 50, duplicates dropped. */
export function parseEmailList(value: string, what: string): string[] {
  const addresses = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (addresses.length === 0) throw new InputError(`${what}: no address in ${quoted(value)} (expected comma-separated email addresses)`);
  if (addresses.length > 50) throw new InputError(`${what}: ${addresses.length} addresses (expected at most 50)`);
  for (const address of addresses) {
    if (!isEmailAddress(address)) {
      throw new InputError(`${what}: ${quoted(address)} is not an email address (expected e.g. mdm-admins@example.com)`);
    }
  }
  return [...new Set(addresses)];
}

/** A Slack channel: `#name`, `name` or a channel ID. */
export function parseSlackChannel(value: string, what: string): string {
  const channel = value.trim();
  if (!SLACK_CHANNEL.test(channel)) {
    throw new InputError(`${what}: ${quoted(value)} is not a Slack channel (expected #name in lower case, or an ID such as C0123ABCD)`);
  }
  return channel;
}

/**
 * The name of a Teams webhook (`--teams mdm`): letters, digits, `-` and `_`, at most 40, as TOKENWATCH_TEAMS_WEBHOOKS
 * names them. Only the name is ever stored: the URL is a secret that stays in the environment.
 */
export function parseTeamsWebhookName(value: string, what: string): string {
  const name = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(name)) {
    throw new InputError(`${what}: ${quoted(name)} is not a webhook name (expected letters, digits, - or _, e.g. mdm)`);
  }
  return name;
}

/**
 * `name` when it is one of the configured webhooks; an InputError naming it and the configured ones otherwise. With no
 * webhook configured any well-formed name is kept (the registry can be prepared before Teams is set up): delivery then
 * reports a name that is still unknown.
 */
export function checkTeamsWebhook(name: string, configured: readonly string[], what: string): string {
  if (configured.length > 0 && !configured.includes(name)) {
    throw new InputError(`${what}: ${quoted(name)} is not a webhook of TOKENWATCH_TEAMS_WEBHOOKS (expected one of: ${configured.join(', ')})`);
  }
  return name;
}

/** Comma-separated items, trimmed, empty ones dropped; at least one, at most `max`, duplicates dropped. */
function listOf<T extends string>(value: string, what: string, label: string, max: number, parse: (item: string) => T): T[] {
  const items = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (items.length === 0) throw new InputError(`${what}: nothing in ${quoted(value)} (expected ${label}, comma-separated)`);
  if (items.length > max) throw new InputError(`${what}: ${items.length} entries (expected at most ${max})`);
  return [...new Set(items.map(parse))];
}

/** Comma-separated Slack channels or user ids (`#mdm-oncall,U0123ABCD`): escalation contacts on Slack. */
export function parseSlackChannelList(value: string, what: string): string[] {
  return listOf(value, what, 'Slack channels (#name) or IDs (C…, U…)', 20, (item) => parseSlackChannel(item, what));
}

/** Comma-separated Teams webhook names, each one of `configured` when any is (see checkTeamsWebhook). */
export function parseTeamsWebhookList(value: string, what: string, configured: readonly string[]): string[] {
  return listOf(value, what, 'Teams webhook names', 20, (item) => checkTeamsWebhook(parseTeamsWebhookName(item, what), configured, what));
}

/**
 * A Slack user id (U… or W… for Enterprise Grid) or user-group id (S…), as Slack shows them under "Copy member ID" or
 * in the user group's URL: upper-case letters and digits. A name such as @alice cannot be mentioned by an app: Slack
 * only pings `<@U…>` and `<!subteam^S…>` (https://docs.slack.dev/messaging/formatting-message-text/, "Mentioning
 * users" and "Mentioning groups").
 */
const SLACK_MENTION = /^[UWS][A-Z0-9]{6,20}$/;

/** Comma-separated Slack user and user-group ids to mention, e.g. `U0123ABCD,S0456EFGH`. */
export function parseSlackMentions(value: string, what: string): string[] {
  return listOf(value, what, 'Slack user or user-group IDs', 20, (item) => {
    if (!SLACK_MENTION.test(item)) {
      throw new InputError(`${what}: ${quoted(item)} is not a Slack user or user-group ID (expected U… or W… for a person, S… for a user group, e.g. U0123ABCD)`);
    }
    return item;
  });
}

/** Comma-separated whole days between 1 and 3650, e.g. `60,30,7`; returned unique, largest first. */
export function parseThresholds(value: string, what: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  const expected = `expected comma-separated whole days from 1 to ${MAX_THRESHOLD_DAYS}, e.g. 60,30,7`;
  if (parts.length > 20) throw new InputError(`${what}: ${parts.length} thresholds (expected at most 20)`);
  const days = parts.map((part) => {
    if (!/^\d{1,4}$/.test(part)) throw new InputError(`${what}: ${quoted(part)} in ${quoted(value)} is not a number of days (${expected})`);
    const n = Number(part);
    if (n < 1 || n > MAX_THRESHOLD_DAYS) throw new InputError(`${what}: ${n} is out of range (${expected})`);
    return n;
  });
  if (new Set(days).size !== days.length) throw new InputError(`${what}: ${quoted(value)} repeats a threshold (${expected}, each once)`);
  return days.sort((a, b) => b - a);
}

/** Longest console address accepted: a page address, not a document. */
const CONSOLE_URL_MAX = 2000;

/**
 * A token's own MDM console page (`--console-url`, CSV `console_url`): an https address without a user name or
 * password (the registry stores it and messages show it, so it must hold no secret). Returned normalized.
 */
export function parseConsoleUrl(value: string, what: string): string {
  const expected = 'expected an https address such as https://uem.example.com/AirWatch';
  const text = value.trim();
  if (characterCount(text) > CONSOLE_URL_MAX) throw new InputError(`${what}: ${characterCount(text)} characters (${expected}, at most ${CONSOLE_URL_MAX})`);
  // The URL parser drops tabs and line breaks silently: refused first, so what is stored is what was given.
  if (CONTROL.test(text)) throw new InputError(`${what}: contains a line break or control character (${expected}, on one line)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`${what}: ${quoted(value)} is not a URL (${expected})`);
  }
  if (url.protocol !== 'https:') throw new InputError(`${what}: ${quoted(value)} is not an https URL (${expected})`);
  if (url.username !== '' || url.password !== '') {
    throw new InputError(`${what}: the address carries a user name or password (${expected}, without credentials: they would be stored and shown)`);
  }
  return url.href;
}

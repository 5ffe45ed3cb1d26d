// Microsoft Teams building blocks of a message: an Adaptive Card wrapped in the message a Teams Workflows webhook
// ("Post to a channel when a webhook request is received") accepts. Pure.
// Shape: {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":card}]},
// as in Microsoft's "Create and send messages" page for webhooks and Workflows
// (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using: Workflows'
// "When a Teams webhook request is received" trigger replaces the retired connectors and takes an Adaptive Card).
// Version: Teams renders Adaptive Cards up to schema 1.5 (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference
// "Adaptive Card": Teams supports 1.5 and earlier), so cards say "1.5" and use only 1.0-1.5 elements
// (TextBlock, FactSet, Container, ActionSet, Action.OpenUrl).
// Size: a webhook message is limited to about 28 KB (same connectors-using page, "Rate limiting for connectors" /
// message size); cards are kept below TEAMS_PAYLOAD_MAX bytes of UTF-8 JSON.
// Teams' TextBlock renders a subset of Markdown: user values go through escapeTeams so they show as typed.
import { cut } from './escape';
import { safeUrl, type Link } from './link';

export const ADAPTIVE_CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Bytes of UTF-8 JSON a whole webhook message may take: Teams' ~28 KB less room for the wrapper Workflows adds. */
export const TEAMS_PAYLOAD_MAX = 26_000;
/** At most this many tokens in one Teams digest card; a larger digest is split into several messages. */
export const TEAMS_DIGEST_MAX_TOKENS = 40;

/** One Adaptive Card element or action, kept loose: the Teams channel posts it as is. */
export type TeamsElement = Record<string, unknown>;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly body: readonly TeamsElement[];
  readonly actions?: readonly TeamsElement[];
  readonly msteams?: { readonly width: 'Full' };
}

/** The body a Teams Workflows webhook receives. */
export interface TeamsPayload {
  readonly type: 'message';
  readonly attachments: readonly [{ readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; readonly contentUrl: null; readonly content: AdaptiveCard }];
}

/**
 * Markdown Teams' TextBlock interprets, escaped with a backslash so a value shows as typed: emphasis and link
 * characters anywhere, list and heading markers at a line's start. Single new lines become paragraph breaks.
 */
export function escapeTeams(text: string): string {
  return text
    .replace(/[\\*_~`[\]]/g, (char) => `\\${char}`)
    .replace(/^(\s*)([-+#>])/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.')
    .replace(/\r?\n/g, '\n\n');
}

export function textBlock(text: string, options: { isBold?: boolean; size?: 'Large' | 'Medium' | 'Small'; color?: string; isSubtle?: boolean } = {}): TeamsElement {
  return {
    type: 'TextBlock',
    text,
    wrap: true,
    ...(options.isBold === true ? { weight: 'Bolder' } : {}),
    ...(options.size === undefined ? {} : { size: options.size }),
    ...(options.color === undefined ? {} : { color: options.color }),
    ...(options.isSubtle === true ? { isSubtle: true } : {}),
  };
}

/** A FactSet (title/value rows); FactSet values are plain text in Teams, titles and values are cut to stay readable. */
export function factSet(facts: readonly { label: string; value: string }[]): TeamsElement {
  return { type: 'FactSet', facts: facts.map((fact) => ({ title: cut(fact.label, 60), value: cut(fact.value, 1000) })) };
}

/** Action.OpenUrl buttons for the http(s) links; the first is the positive (primary) one. */
export function openUrlActions(links: readonly Link[]): TeamsElement[] {
  return links.flatMap((link) => {
    const url = safeUrl(link.url);
    return url === null ? [] : [{ type: 'Action.OpenUrl', title: cut(link.label, 75), url }];
  }).map((action, index) => (index === 0 ? { ...action, style: 'positive' } : action)).slice(0, 6);
}

export function adaptiveCard(body: readonly TeamsElement[], actions: readonly TeamsElement[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length === 0 ? {} : { actions }),
    msteams: { width: 'Full' },
  };
}

export function teamsPayload(card: AdaptiveCard): TeamsPayload {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }] };
}

/** The UTF-8 size of the JSON posted for `payload`. */
export function payloadBytes(payload: TeamsPayload): number {
  return Buffer.byteLength(JSON.stringify(payload), 'utf8');
}

/**
 * The card of `head`, as many of `items` as fit under TEAMS_PAYLOAD_MAX, and `tail`; when some items do not fit, a
 * line says how many were left out (`leftOut(n)`). Never larger than the limit unless `head` and `tail` alone are.
 */
export function fittedPayload(
  head: readonly TeamsElement[],
  items: readonly TeamsElement[],
  tail: readonly TeamsElement[],
  actions: readonly TeamsElement[],
  leftOut: (count: number) => string,
): TeamsPayload {
  const build = (shown: readonly TeamsElement[], note: string | null): TeamsPayload =>
    teamsPayload(adaptiveCard([...head, ...shown, ...(note === null ? [] : [textBlock(note, { isSubtle: true })]), ...tail], actions));
  const whole = build(items, null);
  if (payloadBytes(whole) <= TEAMS_PAYLOAD_MAX) return whole;
  for (let count = items.length - 1; count >= 0; count -= 1) {
    const payload = build(items.slice(0, count), leftOut(items.length - count));
    if (payloadBytes(payload) <= TEAMS_PAYLOAD_MAX || count === 0) return payload;
  }
  return whole;
}

/** A card of a plain-text message: its subject as the title, then its paragraphs (messages rendered before Teams existed). */
export function textCard(subject: string, text: string): TeamsPayload {
  const paragraphs = text.split(/\n{2,}/).map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '');
  return fittedPayload(
    [textBlock(escapeTeams(subject), { isBold: true, size: 'Medium' })],
    paragraphs.map((paragraph) => textBlock(escapeTeams(paragraph))),
    [],
    [],
    (count) => `…and ${count} more paragraphs (see the email).`,
  );
}

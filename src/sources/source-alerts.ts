// The alerts sources raise, as messages, and which ledger keys are theirs (the keys are written and read by the domain's
// alertKey/parseAlertKey, like every alert's). Pure.
// - `invalid:<state>:<since>`: a source says a token no longer works before its date (one alert per occurrence: a
//   state that goes away and comes back later is a new occurrence, with a new `since`).
// - `source-stale:<source>` / `source-recovered:<source>`: a source failing for longer than the stale period, and its
//   recovery. These are about no token: their ledger rows use token id 0 and the failure run's start as `expires_at`,
//   so each failure run alerts once and recovers once.
import type { DateTime } from 'luxon';
import { parseAlertKey, type InvalidAlert, type SourceAlert } from '../domain/alert';
import { formatDate, formatDateTime, formatDateTimeCompact } from '../domain/dates';
import { cutEscaped, escapeHtml, escapeSlack } from '../domain/message/escape';
import { factsHtml, htmlDocument, type Band } from '../domain/message/html';
import type { RenderedMessage, SlackBlock } from '../domain/message/message';
import { SLACK_FALLBACK_MAX, SLACK_FIELD_MAX, SLACK_TEXT_MAX, header, labelled, mrkdwn, section, signature } from '../domain/message/slack';
import { textDocument } from '../domain/message/text';
import { TOKEN_KIND_LABELS, type TokenKind } from '../domain/token';
import { SOURCED_STATES, type SourcedState } from '../domain/source-link';

/** Ledger rows of alerts about a source rather than a token use this token id (real ids start at 1). */
export const SOURCE_ALERT_TOKEN_ID = 0;

/** The alerts sources raise: the domain's `invalid`, `source-stale` and `source-recovered`, with a state sources know. */
export type SourceAlertKey = (InvalidAlert & { readonly state: SourcedState }) | SourceAlert;


/** A source alert back from its ledger key (read by the domain's parseAlertKey), or null for any other alert or state. */
export function parseSourceAlertKey(text: string): SourceAlertKey | null {
  const alert = parseAlertKey(text);
  if (alert === null) return null;
  if (alert.kind === 'source-stale' || alert.kind === 'source-recovered') return alert;
  if (alert.kind !== 'invalid') return null;
  const state = SOURCED_STATES.find((s) => s === alert.state);
  return state === undefined ? null : { ...alert, state };
}

/** What each bad state means, and what to do about it. */
const STATE_WORDS: Readonly<Record<SourcedState, { readonly means: string; readonly todo: string }>> = {
  invalid: {
    means:
      'The token no longer works: Apple rejects it. A content token dies when the password of the Managed Apple Account that downloaded it changes, when a newer token is downloaded for the same location, or when it is revoked. App and book assignments from the MDM fail until a working token is uploaded.',
    todo: 'Download a new token from Apple Business Manager or Apple School Manager (Preferences, Payments and Billing), upload it to the MDM console, then put the new file in the token folder or run "tokenwatch renew".',
  },
  revoked: {
    means: 'The token was revoked in Apple Business Manager or Apple School Manager. The MDM cannot use it any more.',
    todo: 'Find out who revoked it and why; if the location is still managed here, download a new token, upload it to the MDM console and register the new file.',
  },
  expired: {
    means: 'The source reports the token as expired although the registry has a later date. The MDM cannot use it.',
    todo: 'Check the token in the MDM console and in Apple Business Manager; download and upload a new token, then register the new file.',
  },
  assignedToExternalMDM: {
    means: 'Another MDM has claimed this location: Apple now lets that server, not this one, manage its apps and books.',
    todo: 'Check which MDM should manage the location. If it is this one, reclaim the location from the MDM console (it re-registers its MDM information with Apple).',
  },
  duplicateLocationId: {
    means: 'The same location is registered more than once (two tokens or two servers for one location), so assignments may go to the wrong place.',
    todo: 'Keep one token per location: remove the duplicate from the other server or console, then sync again.',
  },
  valid: { means: 'The token works.', todo: 'Nothing.' },
  unknown: { means: 'The source cannot tell whether the token works.', todo: 'Check the token in the MDM console.' },
};

export interface InvalidAlertFacts {
  readonly tokenName: string;
  readonly kind: TokenKind;
  readonly orgName: string | null;
  readonly expiresAt: DateTime;
  readonly appleId: string | null;
  readonly orgGroup: string | null;
  readonly source: string;
  readonly state: SourcedState;
  readonly since: DateTime;
  /** What the source said, as it said it (e.g. Apple's errorMessage); null when it said nothing more. */
  readonly detail: string | null;
  readonly location: string | null;
  readonly zone: string;
}

interface Fact {
  readonly label: string;
  readonly value: string;
}

/** One message for every channel from a headline, facts and paragraphs, with the shared message kit. */
function render(subject: string, band: Band, headline: string, facts: readonly Fact[], paragraphs: readonly string[]): RenderedMessage {
  const text = textDocument([headline, '', ...facts.map((f) => `${f.label}: ${f.value}`), ...paragraphs.flatMap((p) => ['', p])]);
  const html = htmlDocument(subject, band, [
    `<h1 style="font-size: 18px;">${escapeHtml(headline)}</h1>`,
    ...factsHtml(facts),
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
  ]);
  const blocks: SlackBlock[] = [
    header(headline),
    { type: 'section', fields: facts.map((f) => mrkdwn(labelled(f.label, f.value, SLACK_FIELD_MAX))) },
    ...paragraphs.map((p) => section(cutEscaped(p, SLACK_TEXT_MAX, escapeSlack))),
    signature(),
  ];
  return { subject, text, html, slack: { text: cutEscaped(headline, SLACK_FALLBACK_MAX, escapeSlack), blocks } };
}

const oneLineValue = (value: string): string => value.replace(/[\r\n\t]+/g, ' ').trim();

/** "invalid before its date": what the source said, what it means and what to do. */
export function renderInvalidAlert(facts: InvalidAlertFacts): RenderedMessage {
  const label = TOKEN_KIND_LABELS[facts.kind];
  const name = oneLineValue(facts.tokenName);
  const headline = `${label} token "${name}" is ${facts.state} before its date (${formatDate(facts.expiresAt, facts.zone)})`;
  const words = STATE_WORDS[facts.state];
  const rows: Fact[] = [
    { label: 'Token', value: `${name} (${label})` },
    { label: 'Organization', value: oneLineValue(facts.orgName ?? 'unknown') },
    { label: 'State', value: `${facts.state}, reported by ${facts.source} since ${formatDateTime(facts.since, facts.zone)}` },
    { label: 'Registered expiry', value: formatDateTime(facts.expiresAt, facts.zone) },
  ];
  if (facts.detail !== null) rows.push({ label: 'The source said', value: oneLineValue(facts.detail) });
  if (facts.location !== null) rows.push({ label: 'Location', value: oneLineValue(facts.location) });
  rows.push(
    { label: 'Apple account', value: oneLineValue(facts.appleId ?? 'unknown') },
    { label: 'Organization Group', value: oneLineValue(facts.orgGroup ?? 'unknown') },
  );
  return render(`[tokenwatch] INVALID: ${headline}`, { state: 'expired', text: `${facts.state} before its date` }, `${headline}.`, rows, [`What it means: ${words.means}`, `What to do: ${words.todo}`]);
}

/** "tokenwatch cannot read <source> since <time>: <reason>". */
export function renderSourceStaleAlert(source: string, since: DateTime, reason: string, zone: string): RenderedMessage {
  const headline = `tokenwatch cannot read ${source} since ${formatDateTimeCompact(since, zone)}: ${oneLineValue(reason)}`;
  return render(
    `[tokenwatch] ${headline}`,
    { state: 'critical', text: `Cannot read ${source}` },
    headline,
    [
      { label: 'Source', value: source },
      { label: 'Failing since', value: formatDateTime(since, zone) },
      { label: 'Last error', value: oneLineValue(reason) },
    ],[
      'What it means: the registry no longer follows what this source says (renewals, invalid tokens). Reminders still go out on the registered dates.',
      'What to do: run "tokenwatch doctor" and "tokenwatch sync" to see the error; check the source\'s address, credentials and network. You get one more message when it works again.',
    ],
  );
}

export function renderSourceRecoveredAlert(source: string, since: DateTime, now: DateTime, zone: string): RenderedMessage {
  const headline = `tokenwatch reads ${source} again (it failed from ${formatDateTimeCompact(since, zone)} to ${formatDateTimeCompact(now, zone)})`;
  return render(`[tokenwatch] ${headline}`, { state: 'ok', text: `${source} read again` }, headline, [{ label: 'Source', value: source }], ['Nothing to do: the registry follows this source again.']);
}

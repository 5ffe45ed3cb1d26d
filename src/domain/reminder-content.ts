// What a reminder says: subject, plain text, HTML and Slack blocks, built from one Reminder. Pure and deterministic.
import { formatDate, formatDateTime, relativeDays } from './dates';
import type { Reminder, RenderedReminder, SlackBlock } from './reminder';
import { DEFAULT_STEP_TEMPLATES, renewalSteps, singleLine, stepValues, type StepTemplates } from './renewal-steps';
import { slackDate } from './slack-date';
import { TOKEN_KIND_LABELS } from './token';

const SUBJECT_NAME_MAX = 80;
// Slack Block Kit limits: header text, section text, section field text, blocks per message.
export const SLACK_HEADER_MAX = 150;
export const SLACK_TEXT_MAX = 3000;
const SLACK_FIELD_MAX = 2000;
export const SLACK_BLOCKS_MAX = 50;
// The fallback text is shown in notifications; keep it a readable size.
const SLACK_FALLBACK_MAX = 3000;

const TEST_NOTICE = 'This is a test from tokenwatch test-notify; no token needs action.';

export type Urgency = 'plan' | 'act' | 'urgent' | 'expired';

const URGENCY_LINES: Readonly<Record<Urgency, string>> = {
  plan: 'Plan: schedule the renewal now, while there is time to reach whoever holds the Apple account.',
  act: 'Act now: renew the token in the coming days; the steps below take a few minutes.',
  urgent: 'Urgent: renew the token today, before the console stops managing VPP apps.',
  expired: 'Expired: service is impaired until the token is renewed; follow the steps below now.',
};

/** One fact shown as a line of the text body, a row of the HTML table and a Slack field. */
interface Fact {
  readonly label: string;
  readonly value: string;
  /** Extra Slack mrkdwn shown under the value, built by us from no user value (e.g. a `<!date…>` token); not escaped. */
  readonly slackExtra?: string;
}

/** Everything a reminder says, as plain single-line or multi-line text, before any channel's escaping. */
interface Content {
  readonly subject: string;
  readonly headline: string;
  readonly notice: string | null;
  readonly facts: readonly Fact[];
  readonly urgency: string | null;
  readonly steps: readonly { readonly title: string; readonly body: string }[];
}

/**
 * The subject alone, as `renderReminder` gives it, without rendering the bodies: a scan records thousands of these
 * and renders each message only when it is sent.
 */
export function reminderSubject(reminder: Reminder): string {
  return headingOf(reminder).subject;
}

/** Renders `reminder` for every channel. Never throws for any string values. */
export function renderReminder(reminder: Reminder, templates: StepTemplates = DEFAULT_STEP_TEMPLATES): RenderedReminder {
  const content = contentOf(reminder, templates);
  return {
    subject: content.subject,
    text: renderText(content),
    html: renderHtml(content),
    slack: renderSlack(content),
  };
}

/** Subject and headline: they depend on the kind, the name, the expiry date and the days left only. */
function headingOf(reminder: Reminder): { subject: string; headline: string } {
  const { token, zone, daysLeft } = reminder;
  const label = TOKEN_KIND_LABELS[token.kind] ?? String(token.kind);
  const what = `${label} token "${cut(singleLine(token.name), SUBJECT_NAME_MAX)}"`;
  const date = formatDate(token.expiresAt, zone);
  if (reminder.kind === 'renewed') {
    return { subject: `[tokenwatch] Renewed: ${what}, next expiry ${date}`, headline: `${what} was renewed; next expiry ${date}.` };
  }
  if (reminder.kind === 'expired') {
    const headline = `${what} expired on ${date}`;
    return { subject: `[tokenwatch] EXPIRED: ${headline}`, headline: `${headline}.` };
  }
  const headline = `${what} ${expiresPhrase(daysLeft)} (${date})`;
  if (reminder.kind === 'test') return { subject: `[tokenwatch] TEST (no action needed): ${headline}`, headline: `Test: ${headline}.` };
  return { subject: `[tokenwatch] ${headline}`, headline: `${headline}.` };
}

function contentOf(reminder: Reminder, templates: StepTemplates): Content {
  const { token, zone, daysLeft } = reminder;
  const name = singleLine(token.name);
  const label = TOKEN_KIND_LABELS[token.kind] ?? String(token.kind);
  const { subject, headline } = headingOf(reminder);
  const values = stepValues(token, zone);
  const facts: Fact[] = [
    { label: 'Token', value: `${name} (${label})` },
    { label: 'Organization', value: values.orgName },
    {
      label: reminder.kind === 'renewed' ? 'Next expiry' : 'Expires',
      // Date, time and zone in the configured zone, then "in N days": never bare UTC (issue 8).
      value: `${formatDateTime(token.expiresAt, zone)}, ${relativeDays(daysLeft)}`,
      // Slack also shows it in each reader's own zone.
      slackExtra: `Your time: ${slackDate(token.expiresAt, zone)}`,
    },
    { label: 'Days left', value: daysLeftValue(reminder) },
  ];
  if (reminder.kind === 'renewed') return { subject, headline, notice: null, facts, urgency: null, steps: [] };
  facts.push({ label: 'Apple account', value: values.appleAccount }, { label: 'Organization Group', value: values.orgGroup });
  const steps = renewalSteps(templates, values);
  if (reminder.kind === 'expired') return { subject, headline, notice: null, facts, urgency: URGENCY_LINES.expired, steps };
  // A test has no threshold: its urgency follows the days left, as a real reminder on that day would.
  const threshold = reminder.kind === 'threshold' && reminder.threshold !== null ? reminder.threshold : daysLeft;
  const urgency = URGENCY_LINES[daysLeft < 0 ? 'expired' : urgencyOf(threshold)];
  return { subject, headline, notice: reminder.kind === 'test' ? TEST_NOTICE : null, facts, urgency, steps };
}

/** 60 days: plan; 30 down to 8: act; 7 or fewer: urgent. */
export function urgencyOf(threshold: number): Urgency {
  if (threshold > 30) return 'plan';
  if (threshold > 7) return 'act';
  return 'urgent';
}

function expiresPhrase(daysLeft: number): string {
  if (daysLeft === 0) return 'expires today';
  if (daysLeft < 0) return `expired ${plural(-daysLeft, 'day')} ago`;
  return `expires in ${plural(daysLeft, 'day')}`;
}

function daysLeftValue(reminder: Reminder): string {
  return daysLeftText(reminder.daysLeft, reminder.kind === 'expired');
}

/** The "Days left" value: `30`, `0 (expires today)`, `0 (expired 3 days ago)`; never negative. */
export function daysLeftText(days: number, isExpired: boolean): string {
  if (days > 0) return String(days);
  if (days === 0) return isExpired ? '0 (expired today)' : '0 (expires today)';
  return `0 (expired ${plural(-days, 'day')} ago)`;
}

export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Cuts `value` to at most `max` UTF-16 units, ending with "…", never splitting a character. */
function cut(value: string, max: number): string {
  return cutEscaped(value, max, (text) => text);
}

/** Cuts `value` so that `escape(cut value)` fits in `max`, never splitting an entity or a character. */
export function cutEscaped(value: string, max: number, escape: (text: string) => string): string {
  const whole = escape(value);
  if (whole.length <= max) return whole;
  let kept = '';
  for (const char of value) {
    const next = escape(char);
    if (kept.length + next.length + 1 > max) break;
    kept += next;
  }
  return `${kept}…`;
}

// ---- plain text -------------------------------------------------------------------------------------------------

function renderText(content: Content): string {
  const lines: string[] = [];
  if (content.notice !== null) lines.push(content.notice, '');
  lines.push(content.headline, '');
  for (const fact of content.facts) lines.push(`${fact.label}: ${fact.value}`);
  if (content.urgency !== null) lines.push('', content.urgency);
  content.steps.forEach((step, index) => {
    lines.push('', `${index + 1}. ${step.title}`);
    for (const line of step.body.split('\n')) lines.push(line === '' ? '' : `   ${line}`);
  });
  lines.push('', '-- ', 'Sent by tokenwatch.');
  return `${lines.join('\n')}\n`;
}

// ---- HTML -------------------------------------------------------------------------------------------------------

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Escaped text whose line breaks (from a multi-line template) become <br>. */
function htmlLines(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>\n');
}

/** A whole HTML email: the head with `title`, then `body` lines inside the shared body style and footer. */
export function htmlDocument(title: string, body: readonly string[]): string {
  return `${[
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">',
    ...body,
    '<p style="color: #656d76; font-size: 12px;">Sent by tokenwatch.</p>',
    '</body>',
    '</html>',
  ].join('\n')}\n`;
}

/** The renewal steps as an ordered list. */
export function stepsHtml(steps: readonly { readonly title: string; readonly body: string }[]): string[] {
  return ['<ol>', ...steps.map((step) => `<li><p><strong>${escapeHtml(step.title)}</strong><br>\n${htmlLines(step.body)}</p></li>`), '</ol>'];
}

function renderHtml(content: Content): string {
  const parts: string[] = [];
  if (content.notice !== null) {
    parts.push(`<p style="padding: 8px; border: 2px dashed #9a6700; background: #fff8c5;"><strong>${escapeHtml(content.notice)}</strong></p>`);
  }
  parts.push(`<h1 style="font-size: 18px;">${escapeHtml(content.headline)}</h1>`);
  parts.push('<table style="border-collapse: collapse;">');
  for (const fact of content.facts) {
    parts.push(
      `<tr><th style="text-align: left; padding: 2px 12px 2px 0; vertical-align: top;">${escapeHtml(fact.label)}</th>` +
        `<td style="padding: 2px 0;">${escapeHtml(fact.value)}</td></tr>`,
    );
  }
  parts.push('</table>');
  if (content.urgency !== null) parts.push(`<p><strong>${escapeHtml(content.urgency)}</strong></p>`);
  if (content.steps.length > 0) parts.push(...stepsHtml(content.steps));
  return htmlDocument(content.subject, parts);
}

// ---- Slack ------------------------------------------------------------------------------------------------------

/** Slack's reserved characters: escaped, `<!channel>` or `<http://x|y>` in user text cannot ping or link. */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A mrkdwn text object; verbatim, so Slack does not turn bare URLs, #channels or @mentions into links. */
function mrkdwn(text: string): SlackBlock {
  return { type: 'mrkdwn', text, verbatim: true };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** `*Label*\n` followed by the escaped value (then any trusted extra line), the whole within `max`. */
function labelled(label: string, value: string, max: number, extra?: string): string {
  const head = `*${escapeSlack(label)}*\n`;
  const tail = extra === undefined ? '' : `\n${extra}`;
  return head + cutEscaped(value, max - head.length - tail.length, escapeSlack) + tail;
}

function renderSlack(content: Content): RenderedReminder['slack'] {
  const blocks: SlackBlock[] = [];
  // Slack asks for &, < and > as entities in every text object, plain_text included.
  blocks.push({ type: 'header', text: { type: 'plain_text', text: cutEscaped(content.headline, SLACK_HEADER_MAX, escapeSlack), emoji: true } });
  if (content.notice !== null) blocks.push(section(`:test_tube: *${escapeSlack(content.notice)}*`));
  blocks.push({ type: 'section', fields: content.facts.map((fact) => mrkdwn(labelled(fact.label, fact.value, SLACK_FIELD_MAX, fact.slackExtra))) });
  if (content.urgency !== null) blocks.push(section(`*${cutEscaped(content.urgency, SLACK_TEXT_MAX - 2, escapeSlack)}*`));
  content.steps.forEach((step, index) => {
    blocks.push(section(labelled(`${index + 1}. ${step.title}`, step.body, SLACK_TEXT_MAX)));
  });
  blocks.push({ type: 'context', elements: [mrkdwn('Sent by tokenwatch.')] });

  const key = content.facts.filter((fact) => fact.label !== 'Apple account' && fact.label !== 'Organization Group');
  const fallback = [content.notice, content.headline, key.map((fact) => `${fact.label}: ${fact.value}`).join(' | '), content.urgency]
    .filter((line): line is string => line !== null)
    .join('\n');
  return { text: cutEscaped(fallback, SLACK_FALLBACK_MAX, escapeSlack), blocks: blocks.slice(0, SLACK_BLOCKS_MAX) };
}

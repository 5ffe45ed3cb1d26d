// What a single reminder says: its subject and its content, written out in each format by the message kit
// (src/domain/message/). Built from one Reminder. Pure and deterministic.
import { formatDate, formatDateTime, relativeDays } from './dates';
import { cut, cutEscaped, escapeHtml, escapeSlack, plural } from './message/escape';
import { factsHtml, htmlDocument, stepsHtml } from './message/html';
import { lazyMessage, renderAll, type Message, type RenderedMessage, type SlackBlock, type SlackPayload } from './message/message';
import { SLACK_BLOCKS_MAX, SLACK_FALLBACK_MAX, SLACK_FIELD_MAX, SLACK_TEXT_MAX, header, labelled, mrkdwn, section, signature, stepSections } from './message/slack';
import { textDocument, textSteps, type Step } from './message/text';
import { urgencyOf, type Urgency } from './message/urgency';
import type { Reminder } from './reminder';
import { DEFAULT_STEP_TEMPLATES, renewalSteps, singleLine, stepValues, type StepTemplates } from './renewal-steps';
import { slackDate } from './slack-date';
import { TOKEN_KIND_LABELS } from './token';

const SUBJECT_NAME_MAX = 80;

const TEST_NOTICE = 'This is a test from tokenwatch test-notify; no token needs action.';

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
  readonly steps: readonly Step[];
}

/**
 * The subject alone, as `renderReminder` gives it, without rendering the bodies: a scan records thousands of these
 * and renders each message only when it is sent.
 */
export function reminderSubject(reminder: Reminder): string {
  return headingOf(reminder).subject;
}

/** The message for `reminder`; each format is rendered only when a channel asks for it. Never throws for any string values. */
export function reminderMessage(reminder: Reminder, templates: StepTemplates = DEFAULT_STEP_TEMPLATES): Message {
  const content = contentOf(reminder, templates);
  return lazyMessage(content.subject, { text: () => renderText(content), html: () => renderHtml(content), slack: () => renderSlack(content) });
}

/** `reminder` rendered in every format at once (tests, the public API). */
export function renderReminder(reminder: Reminder, templates: StepTemplates = DEFAULT_STEP_TEMPLATES): RenderedMessage {
  return renderAll(reminderMessage(reminder, templates));
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


// ---- plain text -------------------------------------------------------------------------------------------------

function renderText(content: Content): string {
  const lines: string[] = [];
  if (content.notice !== null) lines.push(content.notice, '');
  lines.push(content.headline, '');
  for (const fact of content.facts) lines.push(`${fact.label}: ${fact.value}`);
  if (content.urgency !== null) lines.push('', content.urgency);
  lines.push(...textSteps(content.steps));
  return textDocument(lines);
}

// ---- HTML -------------------------------------------------------------------------------------------------------

function renderHtml(content: Content): string {
  const parts: string[] = [];
  if (content.notice !== null) {
    parts.push(`<p style="padding: 8px; border: 2px dashed #9a6700; background: #fff8c5;"><strong>${escapeHtml(content.notice)}</strong></p>`);
  }
  parts.push(`<h1 style="font-size: 18px;">${escapeHtml(content.headline)}</h1>`);
  parts.push(...factsHtml(content.facts));
  if (content.urgency !== null) parts.push(`<p><strong>${escapeHtml(content.urgency)}</strong></p>`);
  if (content.steps.length > 0) parts.push(...stepsHtml(content.steps));
  return htmlDocument(content.subject, parts);
}

// ---- Slack ------------------------------------------------------------------------------------------------------

function renderSlack(content: Content): SlackPayload {
  const blocks: SlackBlock[] = [header(content.headline)];
  if (content.notice !== null) blocks.push(section(`:test_tube: *${escapeSlack(content.notice)}*`));
  blocks.push({ type: 'section', fields: content.facts.map((fact) => mrkdwn(labelled(fact.label, fact.value, SLACK_FIELD_MAX, fact.slackExtra))) });
  if (content.urgency !== null) blocks.push(section(`*${cutEscaped(content.urgency, SLACK_TEXT_MAX - 2, escapeSlack)}*`));
  blocks.push(...stepSections(content.steps), signature());

  const key = content.facts.filter((fact) => fact.label !== 'Apple account' && fact.label !== 'Organization Group');
  const fallback = [content.notice, content.headline, key.map((fact) => `${fact.label}: ${fact.value}`).join(' | '), content.urgency]
    .filter((line): line is string => line !== null)
    .join('\n');
  return { text: cutEscaped(fallback, SLACK_FALLBACK_MAX, escapeSlack), blocks: blocks.slice(0, SLACK_BLOCKS_MAX) };
}

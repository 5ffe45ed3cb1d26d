// What a digest says: many reminders for one recipient as one message. A summary table sorted by urgency (expired
// first, then fewest days left), then the renewal steps once. Email text + HTML and Slack Block Kit. Pure.
import type { DateTime } from 'luxon';
import { daysLeft as daysLeftAt, formatDateTime } from './dates';
import { slackDate } from './slack-date';
import { cutEscaped, escapeHtml, escapeSlack, plural } from './message/escape';
import { htmlDocument, stepsHtml } from './message/html';
import { lazyMessage, renderAll, type Message, type RenderedMessage, type SlackBlock, type SlackPayload } from './message/message';
import { SLACK_BLOCKS_MAX, SLACK_TEXT_MAX, header, section, signature } from './message/slack';
import { textDocument, textSteps, type Step } from './message/text';
import { URGENCY_LABELS, URGENCY_ORDER, urgencyOf, type Urgency } from './message/urgency';
import type { Reminder } from './reminder';
import { daysLeftText } from './reminder-content';
import { DEFAULT_STEP_TEMPLATES, renewalSteps, singleLine, type StepTemplates, type StepValues } from './renewal-steps';
import { TOKEN_KIND_LABELS } from './token';

/** At most this many tokens in one Slack digest message, so that it stays well within Block Kit's limits. */
export const SLACK_DIGEST_MAX_TOKENS = 100;

// Each field of a Slack row is cut so that a row stays a few hundred characters and a section holds several.
const SLACK_ROW_LIMITS = { name: 100, org: 80, orgGroup: 150, appleAccount: 120 } as const;

const NOT_RECORDED = 'not recorded';

/** The placeholder values of the steps shown once for every token: they point at the table instead of one token. */
const DIGEST_STEP_VALUES: StepValues = Object.freeze({
  tokenName: 'NAME',
  tokenNameQuoted: '"NAME"',
  orgName: 'the organization listed for each token',
  appleAccount: 'the Apple account listed for each token above',
  orgGroup: 'the Organization Group listed for each token above',
  expiryDate: 'its expiry date',
});

const STEPS_INTRO = "Renewal steps, the same for every token: use each token's Apple account and Organization Group listed above, and its name in step 4.";

/** Which message of a digest split across several (Slack), 1-based. */
export interface DigestPart {
  readonly index: number;
  readonly count: number;
}

/** One row of the summary table, as plain text before any channel's escaping. */
interface Row {
  readonly name: string;
  readonly kind: string;
  readonly org: string;
  readonly orgGroup: string;
  readonly appleAccount: string;
  readonly expires: string;
  /** Slack's `<!date…>` for the expiry: each reader's own zone, `expires` as the fallback. */
  readonly expiresSlackDate: string;
  readonly daysLeft: number;
  readonly daysLeftText: string;
  readonly urgency: Urgency;
}

/**
 * The digest of `reminders` (threshold and expired reminders for one recipient), days left counted at `now`; each
 * format is rendered only when a channel asks for it. Never throws for any string values.
 */
export function digestMessage(
  reminders: readonly Reminder[],
  now: DateTime,
  templates: StepTemplates = DEFAULT_STEP_TEMPLATES,
  part: DigestPart = { index: 1, count: 1 },
): Message {
  const rows = reminders.map((reminder) => rowOf(reminder, now)).sort(byUrgency);
  const summary = summaryOf(rows);
  const subject = `[tokenwatch] ${plural(rows.length, 'token')} to renew: ${summary}`;
  const steps = renewalSteps(templates, DIGEST_STEP_VALUES);
  const headline = `${plural(rows.length, 'token')} need${rows.length === 1 ? 's' : ''} renewal: ${summary}.`;
  return lazyMessage(subject, {
    text: () => renderText(headline, rows, steps),
    html: () => renderHtml(subject, headline, rows, steps),
    slack: () => renderSlack(headline, summary, rows, steps, part),
  });
}

/** The digest rendered in every format at once (tests). */
export function renderDigest(
  reminders: readonly Reminder[],
  now: DateTime,
  templates: StepTemplates = DEFAULT_STEP_TEMPLATES,
  part: DigestPart = { index: 1, count: 1 },
): RenderedMessage {
  return renderAll(digestMessage(reminders, now, templates, part));
}

function rowOf(reminder: Reminder, now: DateTime): Row {
  const { token, zone } = reminder;
  const days = daysLeftAt(token.expiresAt, now, zone);
  const isExpired = reminder.kind === 'expired' || token.expiresAt <= now;
  const threshold = reminder.kind === 'threshold' && reminder.threshold !== null ? reminder.threshold : days;
  const value = (text: string | null): string => {
    const line = text === null ? '' : singleLine(text);
    return line === '' ? NOT_RECORDED : line;
  };
  return {
    name: value(token.name),
    kind: TOKEN_KIND_LABELS[token.kind] ?? String(token.kind),
    org: value(token.orgName),
    orgGroup: value(token.orgGroup),
    appleAccount: value(token.appleId),
    expires: formatDateTime(token.expiresAt, zone),
    expiresSlackDate: slackDate(token.expiresAt, zone),
    daysLeft: days,
    daysLeftText: daysLeftText(days, isExpired),
    urgency: isExpired ? 'expired' : urgencyOf(threshold),
  };
}

/** Expired first, then fewest days left, then by name. */
function byUrgency(a: Row, b: Row): number {
  const expired = Number(b.urgency === 'expired') - Number(a.urgency === 'expired');
  if (expired !== 0) return expired;
  if (a.daysLeft !== b.daysLeft) return a.daysLeft - b.daysLeft;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `2 expired, 3 urgent, 1 act now`. */
function summaryOf(rows: readonly Row[]): string {
  return URGENCY_ORDER.flatMap((urgency) => {
    const count = rows.filter((row) => row.urgency === urgency).length;
    return count === 0 ? [] : [`${count} ${URGENCY_LABELS[urgency].toLowerCase()}`];
  }).join(', ');
}

// ---- plain text -------------------------------------------------------------------------------------------------

function renderText(headline: string, rows: readonly Row[], steps: readonly Step[]): string {
  const lines: string[] = [headline, ''];
  rows.forEach((row, index) => {
    lines.push(
      `${index + 1}. ${row.name} (${row.kind}): ${URGENCY_LABELS[row.urgency]}, days left ${row.daysLeftText}, expires ${row.expires}`,
      `   Organization: ${row.org} | Organization Group: ${row.orgGroup} | Apple account: ${row.appleAccount}`,
    );
  });
  lines.push('', STEPS_INTRO, ...textSteps(steps));
  return textDocument(lines);
}

// ---- HTML -------------------------------------------------------------------------------------------------------

const CELL = 'style="text-align: left; padding: 2px 12px 2px 0; vertical-align: top; border-bottom: 1px solid #d0d7de;"';

function renderHtml(subject: string, headline: string, rows: readonly Row[], steps: readonly Step[]): string {
  const header = ['Token', 'Organization', 'Organization Group', 'Apple account', 'Expires', 'Days left', 'Urgency'];
  const parts: string[] = [
    `<h1 style="font-size: 18px;">${escapeHtml(headline)}</h1>`,
    '<table style="border-collapse: collapse;">',
    `<tr>${header.map((label) => `<th ${CELL}>${escapeHtml(label)}</th>`).join('')}</tr>`,
  ];
  for (const row of rows) {
    const cells = [`${row.name} (${row.kind})`, row.org, row.orgGroup, row.appleAccount, row.expires, row.daysLeftText, URGENCY_LABELS[row.urgency]];
    parts.push(`<tr>${cells.map((cell) => `<td ${CELL}>${escapeHtml(cell)}</td>`).join('')}</tr>`);
  }
  parts.push('</table>', `<p>${escapeHtml(STEPS_INTRO)}</p>`, ...stepsHtml(steps));
  return htmlDocument(subject, parts);
}

// ---- Slack ------------------------------------------------------------------------------------------------------

function slackRow(row: Row): string {
  const cut = (value: string, max: number): string => cutEscaped(value, max, escapeSlack);
  return (
    `• *${cut(row.name, SLACK_ROW_LIMITS.name)}* (${escapeSlack(row.kind)}): *${URGENCY_LABELS[row.urgency]}*, ` +
    `days left ${escapeSlack(row.daysLeftText)}, expires ${escapeSlack(row.expires)} (your time: ${row.expiresSlackDate})\n` +
    `    Organization: ${cut(row.org, SLACK_ROW_LIMITS.org)} · Organization Group: ${cut(row.orgGroup, SLACK_ROW_LIMITS.orgGroup)} · ` +
    `Apple account: ${cut(row.appleAccount, SLACK_ROW_LIMITS.appleAccount)}`
  );
}

/** Rows packed into as few sections as fit Slack's section text limit. */
function rowSections(rows: readonly Row[]): string[] {
  const sections: string[] = [];
  let current = '';
  for (const line of rows.map(slackRow)) {
    if (current !== '' && current.length + 1 + line.length > SLACK_TEXT_MAX) {
      sections.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') sections.push(current);
  return sections;
}

function renderSlack(headline: string, summary: string, rows: readonly Row[], steps: readonly Step[], part: DigestPart): SlackPayload {
  const partNote = part.count > 1 ? ` (message ${part.index} of ${part.count})` : '';
  const title = `tokenwatch: ${plural(rows.length, 'token')} to renew${partNote}`;
  const head: SlackBlock[] = [
    header(title),
    section(`*${escapeSlack(headline)}*`),
  ];
  const tail: SlackBlock[] = [
    section(`*${escapeSlack(STEPS_INTRO)}*`),
    ...steps.map((step, index) => {
      const label = `*${escapeSlack(`${index + 1}. ${step.title}`)}*\n`;
      return section(label + cutEscaped(step.body, SLACK_TEXT_MAX - label.length, escapeSlack));
    }),
    signature(),
  ];
  const room = SLACK_BLOCKS_MAX - head.length - tail.length;
  let sections = rowSections(rows);
  if (sections.length > room) {
    // Only a digest larger than SLACK_DIGEST_MAX_TOKENS (the preview's) can get here: say what is left out.
    const shown = sections.slice(0, room - 1);
    const listed = shown.reduce((count, text) => count + text.split('\n• ').length, 0);
    sections = [...shown, `…and ${plural(rows.length - listed, 'more token')} (listed in the email digest).`];
  }
  return { text: cutEscaped(`${title}: ${summary}`, SLACK_TEXT_MAX, escapeSlack), blocks: [...head, ...sections.map(section), ...tail] };
}

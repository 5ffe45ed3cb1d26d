// What a single reminder says: subject, urgency band, headline, facts, what to do, links to the Apple portal and the
// console, and the renewal steps; written out per format by the message kit (src/domain/message/). Kind-specific
// words (label, portals) come in as KindWords, the steps from the (overridable) step templates. Pure, deterministic.
import { formatDate, formatDateTime, relativeDays } from './dates';
import { kindWords, type KindWords } from './kind-words';
import { cut, cutEscaped, escapeSlack, plural } from './message/escape';
import { buttonsHtml, factsHtml, headlineHtml, htmlDocument, noticeHtml, paragraphHtml, stepsHtml, type Band } from './message/html';
import { lazyMessage, renderAll, type Link, type Message, type RenderedMessage, type SlackBlock, type SlackPayload } from './message/message';
import { SLACK_BLOCKS_MAX, SLACK_FALLBACK_MAX, SLACK_FIELD_MAX, SLACK_TEXT_MAX, header, labelled, linkButtons, mrkdwn, section, signature, slackMentions, stepSections } from './message/slack';
import { SIGNATURE as SIGNATURE_TEXT, factText, linksText, stepBodyText, textDocument, textSteps, wrap, type Step } from './message/text';
import type { ReminderEventFacts } from './message/event';
import { URGENCY_EMOJI, URGENCY_LABELS, URGENCY_STATES, daysPhrase, urgencyOf, type Urgency } from './message/urgency';
import type { Reminder, ReminderToken } from './reminder';
import { MDM_LABELS } from './kinds';
import { DEFAULT_STEP_LIBRARY, singleLine, stepValues, tokenSteps, type StepLibrary } from './renewal-steps';
import { slackDate } from './slack-date';
import { escapeTeams, factSet, fittedPayload, openUrlActions, textBlock, type TeamsElement, type TeamsPayload } from './message/teams';
import { paragraphsOf } from './message/rich-text';

const SUBJECT_NAME_MAX = 80;

const TEST_NOTICE = 'This is a test from tokenwatch test-notify; no token needs action.';

/** What to do, by urgency: the one line in bold under the facts, in the kind's words. */
function actionLine(urgency: Urgency, words: KindWords): string {
  const it = `the ${words.noun}`;
  switch (urgency) {
    case 'plan':
      return 'Plan: schedule the renewal now, while there is time to reach whoever holds the Apple account.';
    case 'act':
      return `Act now: renew ${it} in the coming days; the steps below take a few minutes.`;
    case 'urgent':
      return `Urgent: renew ${it} today, ${words.urgentConsequence}.`;
    case 'expired':
      return `Expired: service is impaired until ${it} is renewed; follow the steps below now.`;
  }
}

/** Links a message may offer besides the Apple portal. */
export interface MessageLinks {
  /** The MDM console's address (TOKENWATCH_CONSOLE_URL), shown as a second button unless the token has its own. */
  readonly consoleUrl?: string | null;
}

/** The console page a token's messages link to: its own (`--console-url`), else the global one, else none. */
export function consoleUrlOf(token: ReminderToken, links: MessageLinks): string | null {
  return token.consoleUrl ?? links.consoleUrl ?? null;
}

/** One fact shown as a line of the text body, a row of the HTML table and a Slack field. */
interface Fact {
  readonly label: string;
  readonly value: string;
  /** Extra Slack mrkdwn shown under the value, built by us from no user value (e.g. a `<!date…>` token); not escaped. */
  readonly slackExtra?: string;
}

/** Everything a reminder says, as plain single-line or multi-line text, before any format's escaping. */
interface Content {
  readonly subject: string;
  readonly headline: string;
  readonly notice: string | null;
  readonly band: Band;
  readonly urgency: Urgency | null;
  readonly facts: readonly Fact[];
  readonly action: string | null;
  readonly links: readonly Link[];
  readonly steps: readonly Step[];
  /** Slack mentions (`<@U…> <!subteam^S…>`) that ping the token's owners; '' for none (and for a renewal). */
  readonly slackMentions: string;
}

/**
 * The subject alone, as `reminderMessage` gives it, without building the content: a scan records thousands of
 * these and renders each message only when it is sent.
 */
export function reminderSubject(reminder: Reminder): string {
  return headingOf(reminder, kindWords(reminder.token.kind)).subject;
}

/** The message for `reminder`; each format is rendered only when a channel asks for it. Never throws for any string values. */
export function reminderMessage(reminder: Reminder, templates: StepLibrary = DEFAULT_STEP_LIBRARY, links: MessageLinks = {}): Message {
  const content = contentOf(reminder, templates, kindWords(reminder.token.kind), links);
  return lazyMessage(content.subject, {
    text: () => renderText(content),
    html: () => renderHtml(content),
    slack: () => renderSlack(content),
    teams: () => renderTeams(content),
    event: (text) => ({ subject: content.subject, text, reminder: eventFacts(reminder, content) }),
  });
}

/** What a reminder says as data, for a signed webhook's event: the token, its expiry, the steps as plain text. */
export function eventFacts(reminder: Reminder, content: Pick<Content, 'urgency' | 'steps' | 'links'>): ReminderEventFacts {
  const { token } = reminder;
  return {
    kind: reminder.kind,
    token: {
      name: token.name,
      kind: token.kind,
      organization: token.orgName,
      appleId: token.appleId,
      orgGroup: token.orgGroup,
      mdm: token.mdm ?? 'workspace-one',
      topic: token.topic ?? null,
    },
    expiresAt: token.expiresAt.toUTC().toISO() ?? '',
    daysLeft: reminder.daysLeft,
    urgency: content.urgency,
    steps: content.steps.map((step) => [step.title, ...stepBodyText(step.body, '')].join('\n')),
    links: content.links,
  };
}

/** The reminder's event facts without rendering anything else (a digest's reminders). */
export function reminderEventFacts(reminder: Reminder, templates: StepLibrary = DEFAULT_STEP_LIBRARY, links: MessageLinks = {}): ReminderEventFacts {
  return eventFacts(reminder, contentOf(reminder, templates, kindWords(reminder.token.kind), links));
}

/** `reminder` rendered in every format at once (tests, previews, the public API). */
export function renderReminder(reminder: Reminder, templates: StepLibrary = DEFAULT_STEP_LIBRARY, links: MessageLinks = {}): RenderedMessage {
  return renderAll(reminderMessage(reminder, templates, links));
}

/** Subject and headline: they depend on the kind, the name, the expiry date and the days left only. */
function headingOf(reminder: Reminder, words: KindWords): { subject: string; headline: string } {
  const { token, zone, daysLeft } = reminder;
  const what = `${words.title} "${cut(singleLine(token.name), SUBJECT_NAME_MAX)}"`;
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

/** A recorded value on one line, or null when it is missing or blank. */
function recorded(value: string | null): string | null {
  const line = value === null ? '' : singleLine(value);
  return line === '' ? null : line;
}

function contentOf(reminder: Reminder, templates: StepLibrary, words: KindWords, links: MessageLinks): Content {
  const { token, zone, daysLeft } = reminder;
  const name = singleLine(token.name);
  const { subject, headline } = headingOf(reminder, words);
  const isExpired = reminder.kind === 'expired' || (reminder.kind !== 'renewed' && daysLeft < 0);
  const facts: Fact[] = [
    { label: 'Token', value: `${name} (${words.label})` },
    { label: 'Organization', value: recorded(token.orgName) ?? 'unknown' },
    {
      label: reminder.kind === 'renewed' ? 'Next expiry' : isExpired ? 'Expired' : 'Expires',
      // Date, time and zone in the configured zone, then "in N days": never bare UTC (issue 8).
      value: `${formatDateTime(token.expiresAt, zone)}, ${relativeDays(daysLeft)}`,
      // Slack also shows it in each reader's own zone.
      slackExtra: `Your time: ${slackDate(token.expiresAt, zone)}`,
    },
  ];
  if (reminder.kind === 'renewed') {
    return { subject, headline, notice: null, band: { state: 'ok', text: 'Renewed' }, urgency: null, facts, action: null, links: [], steps: [], slackMentions: '' };
  }
  const values = stepValues(token, zone);
  const quotedName = values.tokenNameQuoted;
  facts.push(
    { label: 'Apple account', value: recorded(token.appleId) ?? `not recorded (add it with tokenwatch edit ${quotedName} --apple-id ACCOUNT)` },
    { label: 'Organization Group', value: recorded(token.orgGroup) ?? `not recorded (add it with tokenwatch edit ${quotedName} --org-group PATH)` },
  );
  if (token.kind === 'apns') facts.push({ label: 'Push topic', value: values.topic });
  facts.push({ label: 'MDM', value: MDM_LABELS[token.mdm ?? 'workspace-one'] });
  // A test has no threshold: its urgency follows the days left, as a real reminder on that day would.
  const threshold = reminder.kind === 'threshold' && reminder.threshold !== null ? reminder.threshold : daysLeft;
  const urgency: Urgency = isExpired ? 'expired' : urgencyOf(threshold);
  const consoleUrl = consoleUrlOf(token, links);
  const consoleLink = consoleUrl === null ? [] : [{ label: 'Open the console', url: consoleUrl }];
  return {
    subject,
    headline,
    notice: reminder.kind === 'test' ? TEST_NOTICE : null,
    band: { state: URGENCY_STATES[urgency], text: bandText(urgency, daysLeft) },
    urgency,
    facts,
    action: actionLine(urgency, words),
    links: [...words.portals.map((portal) => ({ label: `Open ${portal.label}`, url: portal.url })), ...consoleLink],
    steps: tokenSteps(templates, token, values),
    slackMentions: slackMentions(reminder.mentions),
  };
}

/** `Act now · 30 days left`, `Expired · 3 days ago`. */
export function bandText(urgency: Urgency, daysLeft: number): string {
  const days = daysPhrase(daysLeft, urgency === 'expired');
  return `${URGENCY_LABELS[urgency]} · ${urgency === 'expired' ? days.replace(/^expired /, '') : days}`;
}

function expiresPhrase(daysLeft: number): string {
  if (daysLeft === 0) return 'expires today';
  if (daysLeft < 0) return `expired ${plural(-daysLeft, 'day')} ago`;
  return `expires in ${plural(daysLeft, 'day')}`;
}

// ---- plain text -------------------------------------------------------------------------------------------------

/** The band as the first line of the text: its first words in capitals, `ACT NOW · 30 days left`. */
export function bandLine(text: string): string {
  const [first = '', ...rest] = text.split(' · ');
  return [first.toUpperCase(), ...rest].join(' · ');
}

function renderText(content: Content): string {
  const lines: string[] = [];
  if (content.notice !== null) lines.push(...wrap(content.notice), '');
  lines.push(bandLine(content.band.text), ...wrap(content.headline), '');
  for (const fact of content.facts) lines.push(...factText(fact.label, fact.value));
  if (content.action !== null) lines.push('', ...wrap(content.action));
  if (content.links.length > 0) lines.push('', ...linksText(content.links));
  if (content.steps.length > 0) lines.push('', 'How to renew:', ...textSteps(content.steps));
  return textDocument(lines);
}

// ---- HTML -------------------------------------------------------------------------------------------------------

function renderHtml(content: Content): string {
  const parts: string[] = [];
  if (content.notice !== null) parts.push(noticeHtml(content.notice));
  parts.push(headlineHtml(content.headline), ...factsHtml(content.facts));
  if (content.action !== null) parts.push(paragraphHtml(content.action, true));
  parts.push(...buttonsHtml(content.links));
  if (content.steps.length > 0) parts.push(...stepsHtml(content.steps));
  return htmlDocument(content.subject, content.band, parts);
}

// ---- Slack ------------------------------------------------------------------------------------------------------

function renderSlack(content: Content): SlackPayload {
  // The header is the headline itself: the product's name is already the sender's.
  const blocks: SlackBlock[] = [header(content.headline)];
  // The mentions in a section of their own right under the header, and first in the notification text.
  if (content.slackMentions !== '') blocks.push(section(content.slackMentions));
  if (content.notice !== null) blocks.push(section(`:test_tube: *${escapeSlack(content.notice)}*`));
  if (content.urgency !== null && content.action !== null) {
    blocks.push(section(`${URGENCY_EMOJI[content.urgency]} *${cutEscaped(content.action, SLACK_TEXT_MAX - 40, escapeSlack)}*`));
  }
  blocks.push({ type: 'section', fields: content.facts.map((fact) => mrkdwn(labelled(fact.label, fact.value, SLACK_FIELD_MAX, fact.slackExtra))) });
  const buttons = linkButtons(content.links);
  if (buttons !== null) blocks.push(buttons);
  blocks.push(...stepSections(content.steps), signature());

  const key = content.facts.filter((fact) => !['Apple account', 'Organization Group', 'Push topic', 'MDM'].includes(fact.label));
  const fallback = [content.notice, content.headline, key.map((fact) => `${fact.label}: ${fact.value}`).join(' | '), content.action]
    .filter((line): line is string => line !== null)
    .join('\n');
  const mentions = content.slackMentions === '' ? '' : `${content.slackMentions} `;
  return { text: mentions + cutEscaped(fallback, SLACK_FALLBACK_MAX - mentions.length, escapeSlack), blocks: blocks.slice(0, SLACK_BLOCKS_MAX) };
}

// ---- Teams ------------------------------------------------------------------------------------------------------

/** Adaptive Card colours per urgency (TextBlock `color`). */
const TEAMS_COLORS: Readonly<Record<Urgency, string>> = { plan: 'Accent', act: 'Warning', urgent: 'Attention', expired: 'Attention' };

/** A step as TextBlocks: its numbered title in bold, then its body with lists and commands. */
export function teamsStep(step: Step, index: number): TeamsElement[] {
  const body = paragraphsOf(step.body).map((paragraph) => {
    if (paragraph.kind === 'list') return textBlock(paragraph.items.map((item) => `- ${escapeTeams(item)}`).join('\n'));
    if (paragraph.kind === 'code') return { ...textBlock(paragraph.lines.join('\n')), fontType: 'Monospace' };
    return textBlock(escapeTeams(paragraph.lines.join(' ')));
  });
  return [textBlock(escapeTeams(`${index + 1}. ${step.title}`), { isBold: true }), ...body];
}

function renderTeams(content: Content): TeamsPayload {
  const head: TeamsElement[] = [];
  if (content.notice !== null) head.push(textBlock(escapeTeams(content.notice), { isBold: true, color: 'Accent' }));
  head.push(textBlock(escapeTeams(content.band.text), { isBold: true, color: content.urgency === null ? 'Good' : TEAMS_COLORS[content.urgency] }));
  head.push(textBlock(escapeTeams(content.headline), { isBold: true, size: 'Medium' }));
  head.push(factSet(content.facts));
  if (content.action !== null) head.push(textBlock(escapeTeams(content.action), { isBold: true }));
  const steps = content.steps.flatMap((step, index) => teamsStep(step, index));
  const tail = [textBlock(SIGNATURE_TEXT, { isSubtle: true, size: 'Small' })];
  return fittedPayload(content.steps.length > 0 ? [...head, textBlock('How to renew', { isBold: true })] : head, steps, tail, openUrlActions(content.links), (count) => `…${count} more lines of the steps are in the email.`);
}

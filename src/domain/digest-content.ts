// What a digest says: many reminders for one recipient as one message. A band with the most urgent state, one
// entry per token sorted by urgency (expired first, then fewest days left), links to the Apple portals of the kinds
// listed, then the renewal steps once. Written out per format by the message kit. Pure.
import type { DateTime } from 'luxon';
import { daysLeft as daysLeftAt, formatDateTime } from './dates';
import { kindWords } from './kind-words';
import { cutEscaped, escapeSlack, plural } from './message/escape';
import { buttonsHtml, headlineHtml, htmlDocument, itemHtml, stepsHtml } from './message/html';
import { lazyMessage, renderAll, type Link, type Message, type RenderedMessage, type SlackBlock, type SlackPayload } from './message/message';
import { SLACK_BLOCKS_MAX, SLACK_TEXT_MAX, header, linkButtons, section, signature, slackMentions } from './message/slack';
import { SIGNATURE, linksText, stepBodyText, textDocument, wrap, type Step } from './message/text';
import { paragraphsOf } from './message/rich-text';
import { URGENCY_EMOJI, URGENCY_LABELS, URGENCY_ORDER, URGENCY_STATES, daysPhrase, urgencyOf, type Urgency } from './message/urgency';
import type { Reminder } from './reminder';
import { consoleUrlOf, reminderEventFacts, reminderSubject, type MessageLinks } from './reminder-content';
import { MDM_LABELS, kindSpec, type MdmName, type TokenKind } from './kinds';
import { DEFAULT_STEP_LIBRARY, renewalSteps, singleLine, stepTitles, type StepLibrary, type StepValues } from './renewal-steps';
import { slackDate } from './slack-date';
import { escapeTeams, factSet, fittedPayload, openUrlActions, textBlock, type TeamsElement, type TeamsPayload } from './message/teams';

/** At most this many tokens in one Slack digest message, so that it stays well within Block Kit's limits. */
export const SLACK_DIGEST_MAX_TOKENS = 100;

// Each field of a Slack line is cut so that a line stays a few hundred characters and a section holds several.
const SLACK_ROW_LIMITS = { name: 100, orgGroup: 150, appleAccount: 120 } as const;

const NOT_RECORDED = 'not recorded';

/** The placeholder values of the steps shown once for every token: they point at the list instead of one token. */
const DIGEST_STEP_VALUES: StepValues = Object.freeze({
  tokenName: 'NAME',
  tokenNameQuoted: '"NAME"',
  orgName: 'the organization listed for each token',
  appleAccount: 'the Apple account listed for each token above',
  orgGroup: 'the Organization Group listed for each token above',
  expiryDate: 'its expiry date',
  topic: 'the push topic of each certificate (tokenwatch show NAME)',
});

/** The steps for one kind and MDM, shown once for all the digest's tokens of that kind and MDM (a digest may mix kinds). */
interface StepGroup {
  /** `APNs push certificate, Jamf Pro`; empty when the digest holds one kind and MDM only. */
  readonly heading: string;
  readonly steps: readonly Step[];
}

const STEPS_INTRO = "The same for every token: use each token's Apple account and Organization Group listed above, and its name in the last step.";

/** Which message of a digest split across several (Slack), 1-based. */
export interface DigestPart {
  readonly index: number;
  readonly count: number;
}

/** One token of the digest, as plain text before any format's escaping; null where nothing was recorded. */
interface Row {
  readonly name: string;
  readonly kind: string;
  readonly tokenKind: TokenKind;
  readonly mdm: MdmName;
  readonly portals: readonly Link[];
  readonly org: string | null;
  readonly orgGroup: string | null;
  readonly appleAccount: string | null;
  readonly expires: string;
  /** Slack's `<!date…>` for the expiry: each reader's own zone, `expires` as the fallback. */
  readonly expiresSlackDate: string;
  readonly daysLeft: number;
  /** `4 days left`, `expired 7 days ago`. */
  readonly days: string;
  readonly isExpired: boolean;
  readonly urgency: Urgency;
  /** The console page its messages link to: its own, else TOKENWATCH_CONSOLE_URL; null when neither is set. */
  readonly consoleUrl: string | null;
}

/**
 * The digest of `reminders` (threshold and expired reminders for one recipient), days left counted at `now`; each
 * format is rendered only when a channel asks for it. Never throws for any string values.
 */
export function digestMessage(
  reminders: readonly Reminder[],
  now: DateTime,
  templates: StepLibrary = DEFAULT_STEP_LIBRARY,
  part: DigestPart = { index: 1, count: 1 },
  links: MessageLinks = {},
): Message {
  const rows = reminders.map((reminder) => rowOf(reminder, now, links)).sort(byUrgency);
  const summary = summaryOf(rows);
  const subject = `[tokenwatch] ${plural(rows.length, 'token')} to renew: ${summary}`;
  const steps = stepGroups(rows, templates);
  const headline = `${plural(rows.length, 'token')} need${rows.length === 1 ? 's' : ''} renewal: ${summary}.`;
  // Everyone any of its tokens mentions, once each.
  const mentions = slackMentions(reminders.flatMap((reminder) => reminder.mentions ?? []));
  const digest: Digest = { subject, headline, summary, rows, steps, links: linksOf(rows), part, slackMentions: mentions };
  return lazyMessage(subject, {
    text: () => renderText(digest),
    html: () => renderHtml(digest),
    slack: () => renderSlack(digest),
    teams: () => renderTeams(digest),
    // Each reminder in the order given (its outbox row's), with its own facts and steps, days counted at `now`.
    event: (text) => ({
      subject,
      text,
      part,
      reminders: reminders.map((reminder) => {
        const atNow = { ...reminder, daysLeft: daysLeftAt(reminder.token.expiresAt, now, reminder.zone) };
        return { subject: reminderSubject(atNow), text: '', reminder: reminderEventFacts(atNow, templates, links) };
      }),
    }),
  });
}

/** The digest rendered in every format at once (tests, previews). */
export function renderDigest(
  reminders: readonly Reminder[],
  now: DateTime,
  templates: StepLibrary = DEFAULT_STEP_LIBRARY,
  part: DigestPart = { index: 1, count: 1 },
  links: MessageLinks = {},
): RenderedMessage {
  return renderAll(digestMessage(reminders, now, templates, part, links));
}

interface Digest {
  readonly subject: string;
  readonly headline: string;
  readonly summary: string;
  readonly rows: readonly Row[];
  readonly steps: readonly StepGroup[];
  readonly links: readonly Link[];
  readonly part: DigestPart;
  /** Slack mentions of every token's owners; '' for none. */
  readonly slackMentions: string;
}

function rowOf(reminder: Reminder, now: DateTime, links: MessageLinks): Row {
  const { token, zone } = reminder;
  const days = daysLeftAt(token.expiresAt, now, zone);
  const isExpired = reminder.kind === 'expired' || token.expiresAt <= now;
  const threshold = reminder.kind === 'threshold' && reminder.threshold !== null ? reminder.threshold : days;
  const value = (text: string | null): string | null => {
    const line = text === null ? '' : singleLine(text);
    return line === '' ? null : line;
  };
  const words = kindWords(token.kind);
  return {
    name: value(token.name) ?? NOT_RECORDED,
    kind: words.label,
    tokenKind: kindSpec(token.kind).kind,
    mdm: token.mdm ?? 'workspace-one',
    portals: words.portals,
    org: value(token.orgName),
    orgGroup: value(token.orgGroup),
    appleAccount: value(token.appleId),
    expires: formatDateTime(token.expiresAt, zone),
    expiresSlackDate: slackDate(token.expiresAt, zone),
    daysLeft: days,
    days: daysPhrase(days, isExpired),
    isExpired,
    urgency: isExpired ? 'expired' : urgencyOf(threshold),
    consoleUrl: consoleUrlOf(token, links),
  };
}

/** One group of steps per kind and MDM among `rows`, in the order the rows list them. */
function stepGroups(rows: readonly Row[], library: StepLibrary): StepGroup[] {
  const keys = [...new Set(rows.map((row) => `${row.tokenKind}/${row.mdm}`))];
  return keys.map((key) => {
    const row = rows.find((candidate) => `${candidate.tokenKind}/${candidate.mdm}` === key) as Row;
    const where = row.mdm === 'other' ? 'your MDM' : MDM_LABELS[row.mdm];
    return {
      heading: keys.length > 1 ? `For each ${kindSpec(row.tokenKind).title} (${where})` : '',
      steps: renewalSteps(library[row.tokenKind][row.mdm], DIGEST_STEP_VALUES, stepTitles(row.tokenKind, row.mdm)),
    };
  });
}

/** At most this many console buttons in one digest (tokens with their own console pages); the most urgent rows' first. */
export const DIGEST_CONSOLE_LINKS_MAX = 5;

/**
 * The Apple portals of every kind listed, each once, then the consoles: "Open the console" when the rows share one
 * (their own or TOKENWATCH_CONSOLE_URL), else one button per console page named by its host, in the rows' order.
 */
function linksOf(rows: readonly Row[]): Link[] {
  const seen = new Map<string, Link>();
  for (const row of rows) for (const portal of row.portals) if (!seen.has(portal.url)) seen.set(portal.url, { label: `Open ${portal.label}`, url: portal.url });
  const consoles = [...new Set(rows.flatMap((row) => (row.consoleUrl === null ? [] : [row.consoleUrl])))].slice(0, DIGEST_CONSOLE_LINKS_MAX);
  const hosts = consoles.map(hostOf);
  const consoleLinks = consoles.map((url, index) => {
    if (consoles.length === 1) return { label: 'Open the console', url };
    const host = hosts[index] ?? url;
    // Two pages on one host are told apart by their path.
    const where = hosts.filter((other) => other === host).length > 1 ? url.replace(/^https?:\/\//, '') : host;
    return { label: `Open the console at ${where}`, url };
  });
  return [...seen.values(), ...consoleLinks];
}

/** The host of a console page, or the address itself when it has none (a digest never throws on stored values). */
function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
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

/** The most urgent of the rows: the band's colour. */
function topUrgency(rows: readonly Row[]): Urgency {
  return URGENCY_ORDER.find((urgency) => rows.some((row) => row.urgency === urgency)) ?? 'plan';
}

/** `Urgent, 4 days left`, `Expired 7 days ago`. */
function statusOf(row: Row): string {
  return row.isExpired ? capitalised(row.days) : `${URGENCY_LABELS[row.urgency]}, ${row.days}`;
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** The facts under a token's name: the expiry, then the organization, group and account (or "not recorded"). */
function detailLines(row: Row): string[] {
  return [
    `${row.isExpired ? 'Expired' : 'Expires'}: ${row.expires}`,
    `Organization: ${row.org ?? NOT_RECORDED}`,
    `Organization Group: ${row.orgGroup ?? NOT_RECORDED}`,
    `Apple account: ${row.appleAccount ?? NOT_RECORDED}`,
  ];
}

// ---- plain text -------------------------------------------------------------------------------------------------

function renderText(digest: Digest): string {
  const lines: string[] = [...wrap(digest.headline), ''];
  digest.rows.forEach((row, index) => {
    const number = `${index + 1}. `;
    const indent = ' '.repeat(number.length);
    lines.push(...wrap(`${row.name} (${row.kind}): ${statusOf(row)}`, number, indent));
    for (const detail of detailLines(row)) lines.push(...wrap(detail, indent, `${indent}    `));
  });
  if (digest.links.length > 0) lines.push('', ...linksText(digest.links));
  lines.push('', 'How to renew:', ...wrap(STEPS_INTRO));
  for (const group of digest.steps) {
    if (group.heading !== '') lines.push('', `${group.heading}:`);
    group.steps.forEach((step, index) => lines.push('', ...wrap(`${index + 1}. ${step.title}`, '', '   '), ...stepBodyText(step.body)));
  }
  return textDocument(lines);
}

// ---- HTML -------------------------------------------------------------------------------------------------------

function renderHtml(digest: Digest): string {
  const top = topUrgency(digest.rows);
  // The band already gives the counts per urgency.
  const parts: string[] = [headlineHtml(`${plural(digest.rows.length, 'token')} need${digest.rows.length === 1 ? 's' : ''} renewal.`)];
  for (const row of digest.rows) {
    const badge = { state: URGENCY_STATES[row.urgency], text: URGENCY_LABELS[row.urgency] };
    parts.push(itemHtml(badge, `${row.name} (${row.kind})`, [`${capitalised(row.days)}: ${row.expires}`, ...detailLines(row).slice(1)]));
  }
  parts.push('<div style="height: 16px;"></div>', ...buttonsHtml(digest.links));
  digest.steps.forEach((group, index) => {
    parts.push(...stepsHtml(group.steps, index === 0 ? STEPS_INTRO : null, group.heading === '' ? 'How to renew' : `How to renew: ${group.heading}`));
  });
  return htmlDocument(digest.subject, { state: URGENCY_STATES[top], text: digest.summary }, parts);
}

// ---- Slack ------------------------------------------------------------------------------------------------------

/** One compact line: urgency, name, days left, the date once in the reader's zone, then only what was recorded. */
function slackLine(row: Row): string {
  const cut = (value: string, max: number): string => cutEscaped(value, max, escapeSlack);
  const recorded = [row.orgGroup === null ? null : cut(row.orgGroup, SLACK_ROW_LIMITS.orgGroup), row.appleAccount === null ? null : cut(row.appleAccount, SLACK_ROW_LIMITS.appleAccount)];
  return [
    `${URGENCY_EMOJI[row.urgency]} *${cut(row.name, SLACK_ROW_LIMITS.name)}* (${escapeSlack(row.kind)})`,
    `*${escapeSlack(row.days)}*`,
    row.expiresSlackDate,
    ...recorded.filter((value): value is string => value !== null),
  ].join(' · ');
}

/** Lines packed into as few sections as fit Slack's section text limit. */
function lineSections(rows: readonly Row[]): { text: string; count: number }[] {
  const sections: { text: string; count: number }[] = [];
  let current = { text: '', count: 0 };
  for (const line of rows.map(slackLine)) {
    if (current.text !== '' && current.text.length + 1 + line.length > SLACK_TEXT_MAX) {
      sections.push(current);
      current = { text: '', count: 0 };
    }
    current = { text: current.text === '' ? line : `${current.text}\n${line}`, count: current.count + 1 };
  }
  if (current.text !== '') sections.push(current);
  return sections;
}

/** The steps once, short: their titles and the commands they give; the email and single reminders have the rest. */
function shortSteps(steps: readonly Step[], heading: string): string {
  const lines = steps.map((step, index) => {
    const commands = paragraphsOf(step.body).flatMap((paragraph) => (paragraph.kind === 'code' ? paragraph.lines : []));
    const code = commands.length === 0 ? '' : `\n\`\`\`${commands.map(escapeSlack).join('\n')}\`\`\``;
    return `${index + 1}. ${escapeSlack(step.title)}${code}`;
  });
  const what = heading === '' ? 'the same for every token' : `for each ${escapeSlack(heading.replace(/^For each /, ''))}`;
  const text = `*How to renew*, ${what} (details in the email or each token's reminder):\n${lines.join('\n')}`;
  return text.length <= SLACK_TEXT_MAX ? text : cutEscaped(steps.map((step, index) => `${index + 1}. ${step.title}`).join('\n'), SLACK_TEXT_MAX, escapeSlack);
}

function renderSlack(digest: Digest): SlackPayload {
  const { rows, part } = digest;
  const partNote = part.count > 1 ? ` (message ${part.index} of ${part.count})` : '';
  const title = `${plural(rows.length, 'token')} to renew${partNote}`;
  const head: SlackBlock[] = [header(title), section(`*${escapeSlack(digest.summary)}*`)];
  if (digest.slackMentions !== '') head.push(section(digest.slackMentions));
  const buttons = linkButtons(digest.links);
  const tail: SlackBlock[] = [
    ...(buttons === null ? [] : [buttons]),
    ...digest.steps.map((group) => section(shortSteps(group.steps, group.heading))),
    signature(),
  ];
  const room = SLACK_BLOCKS_MAX - head.length - tail.length;
  let sections = lineSections(rows);
  if (sections.length > room) {
    // Only a digest larger than SLACK_DIGEST_MAX_TOKENS (the preview's) can get here: say what is left out.
    const shown = sections.slice(0, room - 1);
    const listed = shown.reduce((count, shownSection) => count + shownSection.count, 0);
    sections = [...shown, { text: `…and ${plural(rows.length - listed, 'more token')} (listed in the email digest).`, count: 0 }];
  }
  return {
    text: `${digest.slackMentions === '' ? '' : `${digest.slackMentions} `}${cutEscaped(`${title}: ${digest.summary}`, SLACK_TEXT_MAX - digest.slackMentions.length - 1, escapeSlack)}`,
    blocks: [...head, ...sections.map((packed) => section(packed.text)), ...tail],
  };
}

// ---- Teams ------------------------------------------------------------------------------------------------------

/** One token as a bold line (urgency, name, kind) and its facts; Teams has no reader-zone date, so the date is the configured zone's. */
function teamsRow(row: Row): TeamsElement {
  const facts = [{ label: capitalised(row.days), value: row.expires }];
  if (row.org !== null) facts.push({ label: 'Organization', value: row.org });
  if (row.orgGroup !== null) facts.push({ label: 'Organization Group', value: row.orgGroup });
  if (row.appleAccount !== null) facts.push({ label: 'Apple account', value: row.appleAccount });
  // One Container per token, so that a digest cut to fit Teams' size limit never splits a token.
  return { type: 'Container', separator: true, items: [textBlock(escapeTeams(`${URGENCY_LABELS[row.urgency]}: ${row.name} (${row.kind})`), { isBold: true }), factSet(facts)] };
}

function renderTeams(digest: Digest): TeamsPayload {
  const { rows, part } = digest;
  const partNote = part.count > 1 ? ` (message ${part.index} of ${part.count})` : '';
  const head = [textBlock(escapeTeams(`${plural(rows.length, 'token')} to renew${partNote}`), { isBold: true, size: 'Medium' }), textBlock(escapeTeams(digest.summary), { isBold: true })];
  // The steps once per kind and MDM, by title (the email and each token's reminder have the details).
  const groups = digest.steps.flatMap((group) => [
    { ...textBlock(escapeTeams(group.heading === '' ? 'How to renew' : `How to renew: ${group.heading}`), { isBold: true }), separator: true },
    textBlock(escapeTeams(group.steps.map((step, index) => `${index + 1}. ${step.title}`).join('\n'))),
  ]);
  const tail = [textBlock(escapeTeams(STEPS_INTRO)), ...groups, textBlock(SIGNATURE, { isSubtle: true, size: 'Small' })];
  return fittedPayload(head, rows.map(teamsRow), tail, openUrlActions(digest.links), (count) => `…and ${plural(count, 'more token')} (listed in the email digest).`);
}

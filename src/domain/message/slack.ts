// Slack Block Kit building blocks of a message, within Block Kit's limits. Every user value goes through
// escapeSlack; texts are `verbatim` so Slack does not turn bare URLs, #channels or @mentions into links. Pure.
// Limits: https://api.slack.com/reference/block-kit/blocks (header text 150, section text 3000, field 2000,
// 50 blocks per message).
import { cutEscaped, escapeSlack } from './escape';
import { safeUrl, type Link, type SlackBlock } from './message';
import { paragraphsOf } from './rich-text';
import { SIGNATURE, type Step } from './text';

export const SLACK_HEADER_MAX = 150;
export const SLACK_TEXT_MAX = 3000;
export const SLACK_FIELD_MAX = 2000;
export const SLACK_BLOCKS_MAX = 50;
/** The fallback text is shown in notifications; keep it a readable size. */
export const SLACK_FALLBACK_MAX = 3000;

/** A mrkdwn text object. */
export function mrkdwn(text: string): SlackBlock {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function section(text: string): SlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** A header block; Slack asks for &, < and > as entities in every text object, plain_text included. */
export function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: cutEscaped(text, SLACK_HEADER_MAX, escapeSlack), emoji: true } };
}

/**
 * Mentions of Slack users and user groups by id, as Slack asks an app to write them so that they notify:
 * `<@U0123ABCD>` for a person (U… or W…), `<!subteam^S0123ABCD>` for a user group
 * (https://docs.slack.dev/messaging/formatting-message-text/, "Mentioning users" and "Mentioning groups"). These
 * manual parsing strings are honoured in mrkdwn text marked `verbatim` too
 * (https://docs.slack.dev/reference/block-kit/composition-objects/text-object: verbatim skips only the automatic
 * parsing). Anything that is not such an id is left out: it could not ping anyone. '' when none is left.
 */
export function slackMentions(ids: readonly string[] | undefined): string {
  const mentions = [...new Set(ids ?? [])].flatMap((id) =>
    /^[UW][A-Z0-9]{6,20}$/.test(id) ? [`<@${id}>`] : /^S[A-Z0-9]{6,20}$/.test(id) ? [`<!subteam^${id}>`] : [],
  );
  // A digest of many tokens can name many people: keep the first that fit, well within a section's text limit.
  let text = '';
  for (const mention of mentions) {
    if (text.length + 1 + mention.length > SLACK_MENTIONS_MAX) break;
    text = text === '' ? mention : `${text} ${mention}`;
  }
  return text;
}

/** The longest mention line: about 40 people or groups. */
export const SLACK_MENTIONS_MAX = 1000;

/** The small grey signature line. */
export function signature(): SlackBlock {
  return { type: 'context', elements: [mrkdwn(SIGNATURE)] };
}

/** `*Label*\n` followed by the escaped value (then any trusted extra line), the whole within `max`. */
export function labelled(label: string, value: string, max: number, extra?: string): string {
  const head = `*${escapeSlack(label)}*\n`;
  const tail = extra === undefined ? '' : `\n${extra}`;
  return head + cutEscaped(value, max - head.length - tail.length, escapeSlack) + tail;
}

/** One section per step: its numbered title in bold, then its body with lists and commands. */
export function stepSections(steps: readonly Step[]): SlackBlock[] {
  return steps.map((step, index) => {
    const head = `*${escapeSlack(`${index + 1}. ${step.title}`)}*\n`;
    const body = stepBodyMrkdwn(step.body);
    // A body too long for a section is cut as plain escaped text (a cut inside a code block would leave it open).
    return section(head.length + body.length <= SLACK_TEXT_MAX ? head + body : head + cutEscaped(step.body, SLACK_TEXT_MAX - head.length, escapeSlack));
  });
}

/** Block Kit caps a button's text at 75 characters and its URL at 3000. */
const SLACK_BUTTON_TEXT_MAX = 75;
const SLACK_URL_MAX = 3000;

/**
 * An `actions` block of link buttons (https://api.slack.com/reference/block-kit/block-elements#button): a button
 * with a `url` opens it in the reader's browser. The first is the primary one. Links that are not http(s) or too
 * long are left out; null when none is left.
 */
export function linkButtons(links: readonly Link[]): SlackBlock | null {
  const elements = links.flatMap((link, index) => {
    const url = safeUrl(link.url);
    if (url === null || url.length > SLACK_URL_MAX) return [];
    const button: SlackBlock = {
      type: 'button',
      text: { type: 'plain_text', text: cutEscaped(link.label, SLACK_BUTTON_TEXT_MAX, escapeSlack), emoji: true },
      url,
      action_id: `link-${index}`,
    };
    return [index === 0 ? { ...button, style: 'primary' } : button];
  });
  return elements.length === 0 ? null : { type: 'actions', elements: elements.slice(0, 5) };
}

/** A step body in mrkdwn: text escaped, `- ` items as bullets, commands as code blocks. */
export function stepBodyMrkdwn(body: string): string {
  return paragraphsOf(body)
    .map((paragraph) => {
      if (paragraph.kind === 'list') return paragraph.items.map((item) => `• ${escapeSlack(item)}`).join('\n');
      if (paragraph.kind === 'code') return `\`\`\`${paragraph.lines.map(escapeSlack).join('\n')}\`\`\``;
      return paragraph.lines.map(escapeSlack).join('\n');
    })
    .join('\n');
}

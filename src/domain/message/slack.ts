// Slack Block Kit building blocks of a message, within Block Kit's limits. Every user value goes through
// escapeSlack; texts are `verbatim` so Slack does not turn bare URLs, #channels or @mentions into links. Pure.
// Limits: https://api.slack.com/reference/block-kit/blocks (header text 150, section text 3000, field 2000,
// 50 blocks per message).
import { cutEscaped, escapeSlack } from './escape';
import type { SlackBlock } from './message';
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

/** One section per step: its numbered title in bold, then its body. */
export function stepSections(steps: readonly Step[]): SlackBlock[] {
  return steps.map((step, index) => section(labelled(`${index + 1}. ${step.title}`, step.body, SLACK_TEXT_MAX)));
}

// A message ready to go out: its subject, and one renderer per format. A channel calls only the renderer of the
// format it sends (email: text and HTML; Slack: blocks; Teams: an Adaptive Card; signed webhooks: the event's data),
// so no send renders a format nobody reads. Pure types.
import type { EventContent } from './event';
import { textCard, type TeamsPayload } from './teams';

export { safeUrl, type Link } from './link';

/** A Slack Block Kit block, kept loose: the Slack channel posts it as is. */
export type SlackBlock = Record<string, unknown>;

/** A `chat.postMessage` body without its channel: the fallback text (notifications) and the blocks. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface Message {
  /** The email subject, and the name of the message in `history`. */
  readonly subject: string;
  /** The plain-text body (the text/plain part of an email). */
  text(): string;
  /** The whole HTML document (the text/html part of an email). */
  html(): string;
  /** The Slack message. */
  slack(): SlackPayload;
  /** The Teams message: an Adaptive Card for a Workflows webhook. */
  teams(): TeamsPayload;
  /** What the message says as data, for a signed webhook's JSON event (src/domain/message/event.ts). */
  event(): EventContent;
}

/** Every format of a message, rendered (a preview file, or a reminder queued before messages were rendered when sent). */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly slack: SlackPayload;
  /** Absent on messages rendered before Teams was a channel: a card is then built from the subject and text. */
  readonly teams?: TeamsPayload;
}

/** A message from the given renderers; each runs at most once, when its format is first asked for. */
export function lazyMessage(
  subject: string,
  render: { text(): string; html(): string; slack(): SlackPayload; teams?(): TeamsPayload; event?(text: string): EventContent },
): Message {
  let text: string | undefined;
  let html: string | undefined;
  let slack: SlackPayload | undefined;
  let teams: TeamsPayload | undefined;
  let event: EventContent | undefined;
  const textOnce = (): string => (text ??= render.text());
  return {
    subject,
    text: textOnce,
    html: () => (html ??= render.html()),
    slack: () => (slack ??= render.slack()),
    teams: () => (teams ??= render.teams === undefined ? textCard(subject, textOnce()) : render.teams()),
    event: () => (event ??= render.event === undefined ? { subject, text: textOnce() } : render.event(textOnce())),
  };
}

/** A message whose formats were rendered already. */
export function renderedMessage(rendered: RenderedMessage): Message {
  const teams = rendered.teams;
  return {
    subject: rendered.subject,
    text: () => rendered.text,
    html: () => rendered.html,
    slack: () => rendered.slack,
    teams: teams === undefined ? () => textCard(rendered.subject, rendered.text) : () => teams,
    event: () => ({ subject: rendered.subject, text: rendered.text }),
  };
}

/** Every format of `message`, rendered now. */
export function renderAll(message: Message): RenderedMessage {
  return { subject: message.subject, text: message.text(), html: message.html(), slack: message.slack(), teams: message.teams() };
}

// A message ready to go out: its subject, and one renderer per format. A channel calls only the renderer of the
// format it sends (email: text and HTML; Slack: blocks), so no send renders a format nobody reads. Pure types.

/** A link a message offers as a button: the Apple portal, the MDM console. `url` is http(s) only (see safeUrl). */
export interface Link {
  readonly label: string;
  readonly url: string;
}

/** `url` when it is an absolute http(s) URL, else null: a message never links to javascript:, data: or a relative path. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

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
}

/** Every format of a message, rendered (a preview file, or a reminder queued before messages were rendered when sent). */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly slack: SlackPayload;
}

/** A message from the given renderers; each runs at most once, when its format is first asked for. */
export function lazyMessage(subject: string, render: { text(): string; html(): string; slack(): SlackPayload }): Message {
  let text: string | undefined;
  let html: string | undefined;
  let slack: SlackPayload | undefined;
  return {
    subject,
    text: () => (text ??= render.text()),
    html: () => (html ??= render.html()),
    slack: () => (slack ??= render.slack()),
  };
}

/** A message whose formats were rendered already. */
export function renderedMessage(rendered: RenderedMessage): Message {
  return { subject: rendered.subject, text: () => rendered.text, html: () => rendered.html, slack: () => rendered.slack };
}

/** Every format of `message`, rendered now. */
export function renderAll(message: Message): RenderedMessage {
  return { subject: message.subject, text: message.text(), html: message.html(), slack: message.slack() };
}

// The delivery channels tokenwatch knows, by name, and which of them are configured. Pure: the channels themselves
// (SMTP, Slack, Teams, signed webhooks, the preview folder) live in notify/, which takes these names from here.

/** Every channel name, in the order they are described. The store binds this list instead of spelling it in SQL. */
export const CHANNEL_NAMES = ['email', 'slack', 'teams', 'webhook', 'preview'] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Which channels are configured (one left out is not): preview stands in when no other is. */
export type EnabledChannels = Readonly<Partial<Record<ChannelName, boolean>>>;

/** Whether a channel that delivers (any but the preview folder) is configured. */
export function hasRealChannel(enabled: EnabledChannels): boolean {
  return CHANNEL_NAMES.some((name) => name !== 'preview' && enabled[name] === true);
}

export function isChannelName(name: string): name is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(name);
}

/**
 * Where a reminder with no recipient at all is recorded: one failed outbox row on this pseudo-channel, which
 * `tokenwatch retry` routes once recipients are configured. Not a channel: nothing is ever sent on it.
 */
export const UNROUTED = Object.freeze({ channel: 'none', recipient: '-' });

/** Why an unrouted reminder failed, as recorded on its row. */
export const NO_RECIPIENT_ERROR =
  "no recipient: set TOKENWATCH_MAIL_TO / TOKENWATCH_SLACK_CHANNEL or the token's --email / --slack-channel";

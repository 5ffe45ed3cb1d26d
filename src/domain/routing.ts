// Where a token's reminders go: its own recipients or the defaults, on each configured channel. Pure.
import { CHANNEL_NAMES, type ChannelName, type EnabledChannels } from './channel-name';

export interface Route {
  readonly channel: ChannelName;
  readonly recipient: string;
}

export interface RoutingDefaults {
  readonly mailTo: readonly string[];
  readonly slackChannel: string | null;
  /** The Teams webhook (by name) reminders go to; null when Teams has none. */
  readonly teamsWebhook?: string | null;
}

/** The preview channel's recipient when a reminder would have no recipient at all (and for test-notify). */
export const PREVIEW_RECIPIENT = 'preview';

/** A real route as the preview channel's recipient, e.g. `email:it@acme.com`, `slack:#mdm` or `teams:mdm`. */
export function previewRecipient(route: Route): string {
  return `${route.channel}:${route.recipient}`;
}

/** The real route a preview recipient stands for; null for PREVIEW_RECIPIENT. */
export function previewedRoute(recipient: string): Route | null {
  for (const channel of CHANNEL_NAMES) {
    if (channel !== 'preview' && recipient.startsWith(`${channel}:`)) return { channel, recipient: recipient.slice(channel.length + 1) };
  }
  return null;
}

export function routesFor(
  token: { readonly email: readonly string[] | null; readonly slackChannel: string | null; readonly teams?: string | null },
  defaults: RoutingDefaults,
  enabled: EnabledChannels,
): Route[] {
  if (enabled.preview) {
    // A preview goes where the real reminder would go once the channels are set up: the token's own recipients.
    const would = routesFor(token, defaults, { email: true, slack: true, teams: true, preview: false });
    if (would.length === 0) return [{ channel: 'preview', recipient: PREVIEW_RECIPIENT }];
    return would.map((route) => ({ channel: 'preview', recipient: previewRecipient(route) }));
  }
  const routes: Route[] = [];
  if (enabled.email) {
    for (const address of token.email ?? defaults.mailTo) routes.push({ channel: 'email', recipient: address });
  }
  const slackChannel = token.slackChannel ?? defaults.slackChannel;
  if (enabled.slack && slackChannel !== null) routes.push({ channel: 'slack', recipient: slackChannel });
  // The recipient is the webhook's name, never its URL (a secret): the Teams channel looks the URL up when sending.
  const teamsWebhook = token.teams ?? defaults.teamsWebhook ?? null;
  if (enabled.teams && teamsWebhook !== null) routes.push({ channel: 'teams', recipient: teamsWebhook });
  return routes;
}

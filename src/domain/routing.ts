// Where a token's reminders go: its own recipients or the defaults, on each configured channel. Pure.
import type { ChannelName, EnabledChannels } from './channel-name';

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

/** The preview channel's single recipient: the folder it writes to stands for everyone. */
export const PREVIEW_RECIPIENT = 'preview';

export function routesFor(
  token: { readonly email: readonly string[] | null; readonly slackChannel: string | null },
  defaults: RoutingDefaults,
  enabled: EnabledChannels,
): Route[] {
  if (enabled.preview) return [{ channel: 'preview', recipient: PREVIEW_RECIPIENT }];
  const routes: Route[] = [];
  if (enabled.email) {
    for (const address of token.email ?? defaults.mailTo) routes.push({ channel: 'email', recipient: address });
  }
  const slackChannel = token.slackChannel ?? defaults.slackChannel;
  if (enabled.slack && slackChannel !== null) routes.push({ channel: 'slack', recipient: slackChannel });
  // The recipient is the webhook's name, never its URL (a secret): the Teams channel looks the URL up when sending.
  const teamsWebhook = defaults.teamsWebhook ?? null;
  if (enabled.teams && teamsWebhook !== null) routes.push({ channel: 'teams', recipient: teamsWebhook });
  return routes;
}

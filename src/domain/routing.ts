// Where a token's reminders go: its own recipients or the defaults, on each configured channel, plus its escalation
// contacts for the alerts that escalate (src/domain/escalation.ts). Pure.
import type { Alert } from './alert';
import { CHANNEL_NAMES, type ChannelName, type EnabledChannels } from './channel-name';
import { NO_ESCALATION, escalationContacts, isEscalated, type EscalationContacts, type EscalationFields } from './escalation';

export interface Route {
  readonly channel: ChannelName;
  readonly recipient: string;
}

export interface RoutingDefaults {
  readonly mailTo: readonly string[];
  readonly slackChannel: string | null;
  /** The Teams webhook (by name) reminders go to; null when Teams has none. */
  readonly teamsWebhook?: string | null;
  /** Who also receives the smallest-threshold reminder and every expired alert; none when absent. */
  readonly escalation?: EscalationContacts;
  /** Slack users (U…, W…) and user groups (S…) a token's Slack messages mention when it names none itself. */
  readonly slackMentions?: readonly string[];
  /** Routes every reminder takes whatever its token says (each signed webhook), on channels that are configured. */
  readonly everyReminder?: readonly Route[];
}

/** What routing needs of a token. */
export interface RoutedToken extends EscalationFields {
  readonly email: readonly string[] | null;
  readonly slackChannel: string | null;
  readonly teams?: string | null;
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

/** Every real channel, to work out where a preview stands in for. */
const REAL_CHANNELS: EnabledChannels = { email: true, slack: true, teams: true, preview: false };

/** The preview routes standing in for `would` (the real ones), or the one PREVIEW_RECIPIENT when there is none. */
function previewRoutes(would: readonly Route[]): Route[] {
  if (would.length === 0) return [{ channel: 'preview', recipient: PREVIEW_RECIPIENT }];
  return would.map((route) => ({ channel: 'preview', recipient: previewRecipient(route) }));
}

export function routesFor(token: RoutedToken, defaults: RoutingDefaults, enabled: EnabledChannels): Route[] {
  // A preview goes where the real reminder would go once the channels are set up: the token's own recipients.
  if (enabled.preview) return previewRoutes(routesFor(token, defaults, REAL_CHANNELS));
  const routes: Route[] = [];
  if (enabled.email) {
    for (const address of token.email ?? defaults.mailTo) routes.push({ channel: 'email', recipient: address });
  }
  const slackChannel = token.slackChannel ?? defaults.slackChannel;
  if (enabled.slack && slackChannel !== null) routes.push({ channel: 'slack', recipient: slackChannel });
  // The recipient is the webhook's name, never its URL (a secret): the Teams channel looks the URL up when sending.
  const teamsWebhook = token.teams ?? defaults.teamsWebhook ?? null;
  if (enabled.teams && teamsWebhook !== null) routes.push({ channel: 'teams', recipient: teamsWebhook });
  for (const route of defaults.everyReminder ?? []) if (enabled[route.channel] === true) routes.push(route);
  return routes;
}

/**
 * The routes of one alert about `token`: its usual recipients, then, when the alert escalates (`smallestThreshold`
 * being the token's smallest threshold), its escalation contacts on the configured channels. Each channel and
 * recipient once: a contact who is also a usual recipient gets one message.
 */
export function alertRoutes(token: RoutedToken, alert: Alert, smallestThreshold: number, defaults: RoutingDefaults, enabled: EnabledChannels): Route[] {
  if (enabled.preview) return previewRoutes(alertRoutes(token, alert, smallestThreshold, defaults, REAL_CHANNELS));
  const routes = routesFor(token, defaults, enabled);
  if (!isEscalated(alert, smallestThreshold)) return routes;
  const contacts = escalationContacts(token, defaults.escalation ?? NO_ESCALATION);
  const extra: Route[] = [
    ...(enabled.email ? contacts.email.map((recipient): Route => ({ channel: 'email', recipient })) : []),
    ...(enabled.slack ? contacts.slack.map((recipient): Route => ({ channel: 'slack', recipient })) : []),
    ...(enabled.teams ? contacts.teams.map((recipient): Route => ({ channel: 'teams', recipient })) : []),
  ];
  const seen = new Set(routes.map((route) => `${route.channel}\u0000${route.recipient}`));
  for (const route of extra) {
    const key = `${route.channel}\u0000${route.recipient}`;
    if (!seen.has(key)) {
      seen.add(key);
      routes.push(route);
    }
  }
  return routes;
}

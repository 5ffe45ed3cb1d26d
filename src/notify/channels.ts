// The channel registry: every delivery channel tokenwatch knows, one line each, and what is built from it (which are
// configured, the channels themselves, the routes every reminder takes). Each channel declares itself in its own file
// (a ChannelSpec: name, settings slice, factory, doctor detail); doctor, test-notify, the engine and the contract
// suite (test/notify/channel-contract.test.ts) go through this list. ARCHITECTURE.md, "How to add a channel".
import { systemClock, type Clock } from '../clock';
import type { ChannelSettings } from '../config';
import type { EnabledChannels } from '../domain/channel-name';
import type { Route } from '../domain/routing';
import type { Logger } from '../log';
import type { Channel } from './channel';
import type { ChannelSpec, ConfiguredChannel } from './channel-spec';
import { EMAIL_CHANNEL } from './email-channel';
import { PREVIEW_CHANNEL } from './preview-channel';
import { SLACK_CHANNEL } from './slack-channel';
import { TEAMS_CHANNEL } from './teams-channel';
import { WEBHOOK_CHANNEL } from './webhook-channel';

/** Every channel, in the order doctor and test-notify show them; the fallback (preview) last. */
export const CHANNELS: readonly ChannelSpec[] = [EMAIL_CHANNEL, SLACK_CHANNEL, TEAMS_CHANNEL, WEBHOOK_CHANNEL, PREVIEW_CHANNEL];

/** The channels configured, each with its settings read; the fallback only when no other is. */
export function configuredChannelSpecs(config: ChannelSettings): { readonly spec: ChannelSpec; readonly configured: ConfiguredChannel }[] {
  const configured = CHANNELS.filter((spec) => spec.isFallback !== true).flatMap((spec) => {
    const channel = spec.configure(config);
    return channel === null ? [] : [{ spec, configured: channel }];
  });
  if (configured.length > 0) return configured;
  return CHANNELS.filter((spec) => spec.isFallback === true).flatMap((spec) => {
    const channel = spec.configure(config);
    return channel === null ? [] : [{ spec, configured: channel }];
  });
}

/** Which channels are configured: the fallback (preview) stands in when no other is. */
export function configuredChannels(config: ChannelSettings): EnabledChannels {
  const names = new Set(configuredChannelSpecs(config).map(({ spec }) => spec.name));
  return Object.fromEntries(CHANNELS.map((spec) => [spec.name, names.has(spec.name)]));
}

/** The routes every reminder takes whatever its token says (each signed webhook, for instance). */
export function everyReminderRoutes(config: ChannelSettings): Route[] {
  return configuredChannelSpecs(config).flatMap(({ spec, configured }) =>
    (configured.everyReminder ?? []).map((recipient) => ({ channel: spec.name, recipient })),
  );
}

/** Builds every configured channel from the channels' slice of the configuration (channelSettings). */
export function createChannels(config: ChannelSettings, logger: Logger, clock: Clock = systemClock): Map<string, Channel> {
  // One message may take at most this long (Slack: quick retries included; SMTP: each connection, greeting and
  // socket wait); longer waits are left to the outbox's backoff.
  const context = { logger, timeoutMs: config.sendTimeoutSeconds * 1000, clock };
  return new Map(configuredChannelSpecs(config).map(({ spec, configured }) => [spec.name, configured.create(context)]));
}

export async function closeChannels(channels: ReadonlyMap<string, Channel>): Promise<void> {
  await Promise.all([...channels.values()].map((channel) => channel.close()));
}

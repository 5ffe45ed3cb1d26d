// Builds the configured delivery channels: email, Slack and/or Teams, or the preview folder when none is set.
// Adding a channel: its name in src/domain/channel-name.ts, its route in src/domain/routing.ts, its settings in
// src/config/ (a row in settings.ts, its field in config.ts and ChannelSettings, configuredChannels in views.ts), its format in the message kit, and one line here.
import { configuredChannels, type ChannelSettings } from '../config';
import type { Logger } from '../log';
import type { Channel } from './channel';

// Each channel module is loaded when its channel is created, not when the CLI starts: nodemailer and @slack/web-api
// take a few hundred milliseconds to load, which commands such as `list` never need.
/* eslint-disable @typescript-eslint/no-require-imports */
const emailChannels = (): typeof import('./email-channel') => require('./email-channel') as typeof import('./email-channel');
const slackChannels = (): typeof import('./slack-channel') => require('./slack-channel') as typeof import('./slack-channel');
const teamsChannels = (): typeof import('./teams-channel') => require('./teams-channel') as typeof import('./teams-channel');
const previewChannels = (): typeof import('./preview-channel') => require('./preview-channel') as typeof import('./preview-channel');
/* eslint-enable @typescript-eslint/no-require-imports */

/** The channels `config` (the channels' slice of the configuration, see channelSettings) turns on. */
export function createChannels(config: ChannelSettings, logger: Logger): Map<string, Channel> {
  const enabled = configuredChannels(config);
  const channels = new Map<string, Channel>();
  // One message may take at most this long (Slack: quick retries included; SMTP: each connection, greeting and
  // socket wait); longer waits are left to the outbox's backoff.
  const timeoutMs = config.sendTimeoutSeconds * 1000;
  if (config.smtpUrl !== null) {
    channels.set('email', emailChannels().createEmailChannel({ smtpUrl: config.smtpUrl, from: config.mailFrom, pool: true, logger, timeoutMs }));
  }
  if (config.slackToken !== null) {
    channels.set('slack', slackChannels().createSlackChannel({ token: config.slackToken, apiUrl: config.slackApiUrl, logger, timeoutMs }));
  }
  if (enabled.teams) {
    channels.set('teams', teamsChannels().createTeamsChannel({ webhooks: config.teamsWebhooks, logger, timeoutMs }));
  }
  if (enabled.preview) {
    channels.set(
      'preview',
      previewChannels().createPreviewChannel({ dir: config.previewDir, from: config.mailFrom, emailTo: config.mailTo, logger }),
    );
  }
  return channels;
}

export async function closeChannels(channels: ReadonlyMap<string, Channel>): Promise<void> {
  await Promise.all([...channels.values()].map((channel) => channel.close()));
}

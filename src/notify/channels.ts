// Builds the configured delivery channels: email and/or Slack, or the preview folder when neither is set.
import { configuredChannels, type Config } from '../config';
import type { Logger } from '../log';
import type { Channel } from './channel';
import { createEmailChannel } from './email-channel';
import { createPreviewChannel } from './preview-channel';
import { createSlackChannel } from './slack-channel';

export function createChannels(config: Config, logger: Logger): Map<string, Channel> {
  const enabled = configuredChannels(config);
  const channels = new Map<string, Channel>();
  // One message may take at most this long (Slack: quick retries included; SMTP: each connection, greeting and
  // socket wait); longer waits are left to the outbox's backoff.
  const timeoutMs = config.sendTimeoutSeconds * 1000;
  if (config.smtpUrl !== null) {
    channels.set('email', createEmailChannel({ smtpUrl: config.smtpUrl, from: config.mailFrom, pool: true, logger, timeoutMs }));
  }
  if (config.slackToken !== null) {
    channels.set('slack', createSlackChannel({ token: config.slackToken, apiUrl: config.slackApiUrl, logger, timeoutMs }));
  }
  if (enabled.preview) {
    channels.set('preview', createPreviewChannel({ dir: config.previewDir, from: config.mailFrom, emailTo: config.mailTo, logger }));
  }
  return channels;
}

export async function closeChannels(channels: ReadonlyMap<string, Channel>): Promise<void> {
  await Promise.all([...channels.values()].map((channel) => channel.close()));
}

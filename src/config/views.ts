// The views of the configuration that other folders need: the channels' own slice, the
// send window, the configuration as shown to an administrator, and the environment variables it reads.
import { ALL_WEEKDAYS, formatBypass, formatDailyHours, formatWeekdays, type SendWindowPolicy } from '../domain/send-window';
import type { Config } from './config';
import { MDM_SOURCE_ENVIRONMENT } from './mdm-sources';
import { SETTINGS } from './settings';

/**
 * What the delivery channels need of the configuration, and nothing else: each channel's spec (src/notify/channels.ts)
 * reads its own fields, and says from them whether it is configured and where its reminders go.
 */
export type ChannelSettings = Pick<
  Config,
  'smtpUrl' | 'mailFrom' | 'mailTo' | 'slackToken' | 'slackChannel' | 'slackApiUrl' | 'teamsWebhooks' | 'teamsDefault' | 'webhooks' | 'webhookSecret' | 'previewDir' | 'sendTimeoutSeconds'
>;

/** The channels' slice of the configuration: createChannels receives this, not the whole Config. */
export function channelSettings(config: Config): ChannelSettings {
  return {
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    mailTo: config.mailTo,
    slackToken: config.slackToken,
    slackChannel: config.slackChannel,
    slackApiUrl: config.slackApiUrl,
    teamsWebhooks: config.teamsWebhooks,
    teamsDefault: config.teamsDefault,
    webhooks: config.webhooks,
    webhookSecret: config.webhookSecret,
    previewDir: config.previewDir,
    sendTimeoutSeconds: config.sendTimeoutSeconds,
  };
}

/** The send window, or null when reminders may go out at any time (no hours set and every day allowed). */
export function sendWindowPolicy(config: Pick<Config, 'sendWindow' | 'sendDays' | 'sendWindowBypass'>): SendWindowPolicy | null {
  if (config.sendWindow === null && config.sendDays.length === ALL_WEEKDAYS.length) return null;
  return {
    window: { hours: config.sendWindow ?? { startMinute: 0, endMinute: 1440 }, days: config.sendDays },
    bypass: config.sendWindowBypass,
  };
}

/** The configuration as shown to an administrator: secrets only as set / not set. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { smtpUrl, slackToken, secrets: _secrets, httpToken, httpPasswordHash, teamsWebhooks: _teams, heartbeatUrl, webhookUrl, webhooks: _webhooks, webhookSecret, ...rest } = config;
  return {
    ...rest,
    sendWindow: config.sendWindow === null ? 'any time' : formatDailyHours(config.sendWindow),
    sendDays: formatWeekdays(config.sendDays),
    sendWindowBypass: formatBypass(config.sendWindowBypass),
    smtpUrl: smtpUrl === null ? 'not set' : redactUrlPassword(smtpUrl),
    slackToken: slackToken === null ? 'not set' : 'set',
    httpToken: httpToken === null ? 'not set' : 'set',
    httpPasswordHash: httpPasswordHash === null ? 'not set' : 'set',
    heartbeatUrl: heartbeatUrl === null ? 'not set' : 'set',
    intuneTenants: config.intuneTenants.map(({ clientSecret: _secret, ...tenant }) => ({ ...tenant, clientSecret: 'set' })),
    teamsWebhooks: config.teamsWebhooks.map((webhook) => ({ name: webhook.name, url: 'set' })),
    webhookUrl: webhookUrl === null ? 'not set' : 'set',
    webhooks: config.webhooks.map((webhook) => ({ name: webhook.name, url: 'set' })),
    webhookSecret: webhookSecret === null ? 'not set' : 'set',
    jamfServers: config.jamfServers.map(({ clientSecret: _secret, ...server }) => ({ ...server, clientSecret: 'set' })),
  };
}

function redactUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = 'redacted';
    return parsed.href;
  } catch {
    return 'set';
  }
}

/** Every environment variable the configuration reads (settings, secret files, the config file's path). */
export function knownEnvironmentVariables(): string[] {
  return [
    ...SETTINGS.flatMap((s) => (s.secretFile === undefined ? [s.env] : [s.env, s.secretFile])),
    ...MDM_SOURCE_ENVIRONMENT,
    'TOKENWATCH_CONFIG',
  ];
}

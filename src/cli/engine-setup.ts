// Wires the scan's parts from the CLI context: registry, outbox, channels, templates and settings.
import type { Clock } from '../clock';
import { configuredChannels, sendWindowPolicy, type Config } from '../config';
import type { ScanDeps, ScanSettings } from '../engine/scan';
import { closeChannels, createChannels } from '../notify/channels';
import { loadStepTemplates } from '../notify/step-templates';
import { Outbox } from '../store/outbox';
import type { CliContext } from './context';

/** Where reminders go: default recipients and the channels configured. Reads nothing from disk. */
export function routingSettings(config: Config): Pick<ScanSettings, 'routing' | 'enabled'> {
  return { routing: { mailTo: config.mailTo, slackChannel: config.slackChannel }, enabled: configuredChannels(config) };
}

export function scanSettings(config: Config): ScanSettings {
  return {
    policy: { zone: config.zone, thresholds: config.thresholds, expiredRepeatDays: config.expiredRepeatDays },
    ...routingSettings(config),
    retry: { baseSeconds: config.retryBaseSeconds, maxSeconds: config.retryMaxSeconds },
    templates: loadStepTemplates(config.stepsDir),
    links: { consoleUrl: config.consoleUrl },
    secrets: config.secrets,
    deliveryBudgetSeconds: config.deliveryBudgetSeconds,
    digestMin: config.digestMin,
    sendWindow: sendWindowPolicy(config),
  };
}

/** Everything a scan needs but the claims (they come with the lease the command takes); channels close at the end. */
export function buildScanDeps(ctx: CliContext, clock: Clock): Omit<ScanDeps, 'claims'> {
  const config = ctx.config;
  const settings = scanSettings(config);
  const channels = createChannels(config, ctx.logger);
  ctx.onClose(() => closeChannels(channels));
  return { tokens: ctx.tokens, outbox: new Outbox(ctx.database), channels, clock, logger: ctx.logger, settings };
}

/** One line telling the administrator where reminders go. */
export function describeDelivery(config: Config): string {
  const enabled = configuredChannels(config);
  if (enabled.preview) {
    return `no SMTP or Slack configured: reminders are written to ${config.previewDir} instead (set TOKENWATCH_SMTP_URL or SLACK_BOT_TOKEN to send them)`;
  }
  const parts: string[] = [];
  if (enabled.email) parts.push(`email to ${config.mailTo.length > 0 ? config.mailTo.join(', ') : '(each token\'s --email only)'}`);
  if (enabled.slack) parts.push(`Slack ${config.slackChannel ?? '(each token\'s --slack-channel only)'}`);
  return `reminders go by ${parts.join(' and ')}`;
}

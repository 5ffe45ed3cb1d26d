// Wires the engine from the CLI context: registry, outbox, channels, templates and the one settings object.
import type { Clock } from '../clock';
import { channelSettings, loadStepLibrary, sendWindowPolicy, type Config } from '../config';
import { createEngine, type Engine } from '../engine/engine';
import type { EngineSettings } from '../engine/engine-settings';
import { NO_CLAIMS, leaseClaims } from '../engine/send-claims';
import type { Channel } from '../notify/channel';
import { closeChannels, configuredChannelSpecs, configuredChannels, createChannels, everyReminderRoutes } from '../notify/channels';
import type { Lease } from '../store/lease';
import { Outbox } from '../store/outbox';
import type { CliContext } from './context';

/** Where reminders go: default recipients and the channels configured. Reads nothing from disk. */
export function routingSettings(config: Config): Pick<EngineSettings, 'routing' | 'enabled'> {
  return {
    routing: {
      mailTo: config.mailTo,
      slackChannel: config.slackChannel,
      teamsWebhook: config.teamsDefault,
      escalation: { email: config.escalateEmail, slack: config.escalateSlack, teams: config.escalateTeams },
      slackMentions: config.slackMentions,
      everyReminder: everyReminderRoutes(channelSettings(config)),
    },
    enabled: configuredChannels(channelSettings(config)),
  };
}

/**
 * The engine's settings from the configuration. The renewal-step templates are read from disk only when `templates`
 * is true (what sends or previews messages); `retry` sends nothing and does not read them.
 */
export function engineSettings(config: Config, options: { readonly templates: boolean } = { templates: true }): EngineSettings {
  return {
    policy: { zone: config.zone, thresholds: config.thresholds, expiredRepeatDays: config.expiredRepeatDays },
    ...routingSettings(config),
    retry: { baseSeconds: config.retryBaseSeconds, maxSeconds: config.retryMaxSeconds },
    ...(options.templates ? { templates: loadStepLibrary(config.stepsDir, config.secrets) } : {}),
    links: { consoleUrl: config.consoleUrl },
    secrets: config.secrets,
    deliveryBudgetSeconds: config.deliveryBudgetSeconds,
    digestMin: config.digestMin,
    sendWindow: sendWindowPolicy(config),
  };
}

export interface EngineSetup {
  /** Builds the channels (closed when the command ends); false for what never sends (dry run, retry). */
  readonly sends: boolean;
  /** Reads the renewal-step templates; false for `retry`, which renders nothing. */
  readonly templates?: boolean;
  /** The clock scans plan on (`scan --at`); the context's clock by default. */
  readonly clock?: Clock;
  /** The sending lease the command holds: rows are claimed under it, on the real clock. No claims without one. */
  readonly lease?: Lease;
}

/** The engine a command or the daemon works with. */
export function buildEngine(ctx: CliContext, setup: EngineSetup): Engine {
  const config = ctx.config;
  const settings = engineSettings(config, { templates: setup.templates ?? true });
  const channels = setup.sends ? createChannels(channelSettings(config), ctx.logger, ctx.clock) : new Map<string, Channel>();
  if (setup.sends) ctx.onClose(() => closeChannels(channels));
  const outbox = new Outbox(ctx.database);
  const claims = setup.lease === undefined ? NO_CLAIMS : leaseClaims(setup.lease, outbox, ctx.clock);
  return createEngine({ tokens: ctx.tokens, outbox, channels, claims, clock: setup.clock ?? ctx.clock, logger: ctx.logger, settings });
}

/** One line telling the administrator where reminders go. */
export function describeDelivery(config: Config): string {
  const configured = configuredChannelSpecs(channelSettings(config));
  if (configured.some(({ spec }) => spec.isFallback === true)) return configured.map((channel) => channel.configured.describe).join('; ');
  return `reminders go by ${configured.map((channel) => channel.configured.describe).join(' and ')}`;
}

// `tokenwatch doctor`: one line per check (config, database, each registered channel, outbox, sources) with ok/failed and why.
import type { Command } from 'commander';
import { channelSettings, describeConfig, formatAddress, type Config } from '../../config';
import { describeExposure, httpAccessOf } from '../../http/exposure';
import { oneLine } from '../../errors';
import { undeliverableSender } from '../../domain/sender-address';
import { detectHeartbeatKind } from '../../domain/heartbeat';
import { redact } from '../../log';
import { CHANNELS, closeChannels, configuredChannels, createChannels } from '../../notify/channels';
import { Outbox } from '../../store/outbox';
import { SourceStatusStore } from '../../store/source-status';
import { configuredSources } from '../sources-setup';
import type { CliContext } from '../context';
import type { CommandResult } from '../command-result';

export function registerDoctor(program: Command, ctx: CliContext, result: CommandResult): void {
  program
    .command('doctor')
    .description('check config, database, SMTP, Slack, the outbox and each source')
    .action(async () => {
      let failures = 0;
      const report = (check: string, error: string | null, detail = ''): void => {
        if (error !== null) failures += 1;
        ctx.io.out(`${check.padEnd(9)} ${error === null ? 'ok' : 'failed'}${error === null ? (detail === '' ? '' : `  ${detail}`) : `  ${error}`}`);
      };
      let config;
      try {
        config = ctx.config;
      } catch (error) {
        report('config', oneLine(error).replace(/\n/g, '; '));
        result.exitCode = 1;
        return;
      }
      const shown = describeConfig(config);
      report('config', null, `zone ${config.zone}, schedule "${config.schedule}", thresholds ${config.thresholds.join(',')}`);
      ctx.io.out(`secrets   SMTP URL ${shown['smtpUrl'] === 'not set' ? 'not set' : 'set'}, Slack token ${String(shown['slackToken'])}`);
      ctx.io.out(`sending   ${describeSending(config, shown)}`);
      ctx.io.out(`heartbeat ${describeHeartbeat(config)}`);
      const exposure = describeExposure(config.httpAddress, httpAccessOf(config));
      report('http', exposure.isRefused ? exposure.text : null, exposure.text);
      let outbox: Outbox | null = null;
      try {
        const db = ctx.database;
        const check = db.pragma('quick_check', { simple: true }) as string;
        if (check !== 'ok') throw new Error(`integrity check: ${check}`);
        outbox = new Outbox(db);
        report('database', null, `${config.dbPath} (${ctx.tokens.count()} tokens)`);
      } catch (error) {
        report('database', redact(oneLine(error), config.secrets));
      }
      const enabled = configuredChannels(channelSettings(config));
      const channels = createChannels(channelSettings(config), ctx.logger, ctx.clock);
      ctx.onClose(() => closeChannels(channels));
      // Each registered channel: its verify() (which never sends a message) and what it reached; "not configured"
      // only for the usual ones (email, Slack), so that the report stays as it was for those who use neither.
      for (const spec of CHANNELS) {
        const channel = channels.get(spec.name);
        if (channel === undefined) {
          if (spec.isFallback !== true && spec.isOptional !== true) ctx.io.out(`${spec.doctorLabel.padEnd(9)} not configured`);
          continue;
        }
        try {
          const reached = await channel.verify();
          report(spec.doctorLabel, null, redact(reached, config.secrets));
        } catch (error) {
          report(spec.doctorLabel, redact(oneLine(error), config.secrets));
        }
      }
      if (enabled.preview) ctx.io.out('          (no SMTP or Slack configured: reminders are written as files, not sent)');
      if (outbox !== null) reportTeamsRouting(config, ctx.tokens.teamsWebhookUses(), report, (line) => ctx.io.out(line));
      if (enabled.email || enabled.preview) {
        // A warning, not a failure: some relays accept any sender, and only the administrator knows theirs.
        const problem = undeliverableSender(config.mailFrom);
        if (problem === null) ctx.io.out(`${'sender'.padEnd(9)} ok  ${config.mailFrom}`);
        else ctx.io.out(`${'sender'.padEnd(9)} warning  ${config.mailFrom}: ${problem}; many mail relays refuse such a sender (set TOKENWATCH_MAIL_FROM to an address of your mail domain)`);
      }
      if (outbox !== null) {
        const failed = outbox.permanentFailures(1)[0];
        const pending = outbox.countPending();
        if (failed !== undefined) {
          report('outbox', `deliveries failed for good; latest: "${failed.tokenName}" ${failed.channel}:${failed.recipient}: ${failed.lastError ?? ''} (see "tokenwatch history"; after fixing it, "tokenwatch retry")`);
        } else {
          report('outbox', null, `${pending} pending`);
        }
      }
      const statuses = outbox === null ? [] : new SourceStatusStore(ctx.database).all();
      for (const source of outbox === null ? [] : configuredSources(ctx)) {
        const status = statuses.find((s) => s.source === source.name);
        const last = status?.lastSuccessAt == null ? 'never synced' : `last sync ${status.lastSuccessAt.setZone(config.zone).toISO()}`;
        try {
          report(`source ${source.name}`, null, `${redact(await source.check(), config.secrets)}; ${last}`);
        } catch (error) {
          report(`source ${source.name}`, `${redact(oneLine(error), config.secrets)}; ${last}`);
        }
      }
      if (failures > 0) result.exitCode = 1;
    });
}

/**
 * Tokens naming a Teams webhook (their own or an escalation contact) that TOKENWATCH_TEAMS_WEBHOOKS does not
 * configure: a failure while Teams is configured (each such reminder would fail for good), a note while it is not
 * (those tokens' reminders go to the other channels until it is).
 */
function reportTeamsRouting(
  config: Config,
  uses: readonly { readonly webhook: string; readonly token: string }[],
  report: (check: string, error: string | null, detail?: string) => void,
  out: (line: string) => void,
): void {
  if (uses.length === 0) return;
  const configured = config.teamsWebhooks.map((webhook) => webhook.name);
  const unknown = uses.filter((use) => !configured.includes(use.webhook));
  const described = (list: typeof uses): string => {
    const byWebhook = new Map<string, string[]>();
    for (const use of list) byWebhook.set(use.webhook, [...(byWebhook.get(use.webhook) ?? []), use.token]);
    const parts = [...byWebhook].map(([webhook, tokens]) => `"${webhook}" (${tokens.slice(0, 3).map((token) => `"${token}"`).join(', ')}${tokens.length > 3 ? ` and ${tokens.length - 3} more` : ''})`);
    return parts.join(', ');
  };
  if (configured.length === 0) {
    out(`${'routing'.padEnd(9)} note  tokens name Teams webhooks, but Teams is not configured: ${described(uses)}; their reminders go to the other channels until TOKENWATCH_TEAMS_WEBHOOKS is set`);
    return;
  }
  if (unknown.length === 0) {
    report('routing', null, `every Teams webhook tokens name is configured (${new Set(uses.map((use) => use.webhook)).size})`);
    return;
  }
  report(
    'routing',
    `tokens name Teams webhooks that are not configured: ${described(unknown)} (expected one of TOKENWATCH_TEAMS_WEBHOOKS: ${configured.join(', ')}; "tokenwatch edit NAME --teams WEBHOOK" or "--clear teams" / "--clear escalate-teams")`,
  );
}

/** Digests, the send window and the HTTP address, as one line. */
function describeSending(config: Config, shown: Record<string, unknown>): string {
  const digests = config.digestMin === 0 ? 'one message per token' : `digest above ${config.digestMin} per recipient`;
  const window =
    config.sendWindow === null
      ? 'any time'
      : `window ${String(shown['sendWindow'])} ${String(shown['sendDays'])} (at once: ${String(shown['sendWindowBypass'])})`;
  const http = config.httpAddress === null ? 'HTTP off' : `HTTP on ${formatAddress(config.httpAddress)}`;
  return `${digests}, ${window}, ${http}`;
}

/** Whether the daemon reports its scans to a monitor; never the URL (a secret), and no ping: it would count as a scan. */
function describeHeartbeat(config: Config): string {
  if (config.heartbeatUrl === null) return 'not set (TOKENWATCH_HEARTBEAT_URL: a monitor the daemon pings around each scan)';
  const kind = config.heartbeatKind ?? detectHeartbeatKind(config.heartbeatUrl);
  return `set: ${kind === 'uptime-kuma' ? 'an Uptime Kuma push monitor' : 'a Healthchecks.io check'}, pinged around each daemon scan (not by doctor)`;
}

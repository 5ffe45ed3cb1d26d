// `tokenwatch test-notify [--email ADDR] [--slack-channel C]`: a clearly marked test through each channel.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { singleDelivery } from '../../domain/message/event';
import { oneLine } from '../../errors';
import { reminderMessage } from '../../domain/reminder-content';
import { parseEmailList, parseSlackChannel } from '../../domain/token-fields';
import { routesFor } from '../../domain/routing';
import { redact } from '../../log';
import { CHANNELS, closeChannels, createChannels } from '../../notify/channels';
import { channelSettings, loadStepLibrary } from '../../config';
import { routingSettings } from '../engine-setup';
import type { CliContext } from '../context';
import type { CommandResult } from '../command-result';

export function registerTestNotify(program: Command, ctx: CliContext, result: CommandResult): void {
  program
    .command('test-notify')
    .description('send a test reminder through each configured channel and report each result')
    .option('--email <addresses>', 'send the test email here (default TOKENWATCH_MAIL_TO)')
    .option('--slack-channel <channel>', 'post the test here (default TOKENWATCH_SLACK_CHANNEL)')
    .action(async (options: { email?: string; slackChannel?: string }) => {
      const config = ctx.config;
      const emails = options.email === undefined ? config.mailTo : parseEmailList(options.email, '--email');
      const slackChannel = options.slackChannel === undefined ? config.slackChannel : parseSlackChannel(options.slackChannel, '--slack-channel');
      const now = ctx.clock.now();
      const message = reminderMessage(
        {
          kind: 'test',
          threshold: null,
          token: {
            name: 'Example VPP token',
            kind: 'vpp',
            orgName: 'Example Org',
            expiresAt: now.plus({ days: 30 }),
            appleId: 'vpp-admin@example.com',
            orgGroup: 'Global / Example',
            mdm: config.mdm,
          },
          daysLeft: 30,
          zone: config.zone,
        },
        loadStepLibrary(config.stepsDir, config.secrets),
        { consoleUrl: config.consoleUrl },
      );
      const channels = createChannels(channelSettings(config), ctx.logger, ctx.clock);
      ctx.onClose(() => closeChannels(channels));
      // Where a token with these recipients would be reminded, on each configured channel; a configured channel
      // without any recipient is reported as failed with what to set.
      const { routing, enabled } = routingSettings(config);
      const routes = routesFor({ email: emails, slackChannel }, routing, enabled);
      const targets: { channel: string; recipient: string | null; why?: string }[] = [];
      for (const spec of CHANNELS.filter((candidate) => channels.has(candidate.name))) {
        const own = routes.filter((route) => route.channel === spec.name);
        if (own.length === 0) targets.push({ channel: spec.name, recipient: null, why: spec.noRecipientHint });
        for (const route of own) targets.push({ channel: route.channel, recipient: route.recipient });
      }
      // A test is an event of its own: a new delivery id each run, so that a receiver that dedupes still shows it.
      const delivery = singleDelivery(`test_${randomUUID().replace(/-/g, '')}`, 'test', 'Example VPP token', now.plus({ days: 30 }));
      let failures = 0;
      for (const target of targets) {
        const channel = channels.get(target.channel);
        if (target.recipient === null || channel === undefined) {
          failures += 1;
          ctx.io.out(`${target.channel}: failed: ${target.why ?? 'not configured'}`);
          continue;
        }
        try {
          await channel.send(target.recipient, message, delivery);
          ctx.io.out(`${target.channel} ${target.recipient}: ok${target.channel === 'preview' ? ` (written to ${config.previewDir})` : ''}`);
        } catch (error) {
          failures += 1;
          ctx.io.out(`${target.channel} ${target.recipient}: failed: ${redact(oneLine(error), config.secrets)}`);
        }
      }
      if (failures > 0) result.exitCode = 1;
    });
}

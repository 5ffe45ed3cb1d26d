// `tokenwatch retry [NAME]`: after fixing why a delivery failed for good (the bot invited to the channel, the
// address fixed, recipients configured), queue it again; the daemon or the next scan sends it.
import type { Command } from 'commander';
import { routesFor } from '../../domain/routing';
import { Outbox } from '../../store/outbox';
import type { CliContext } from '../context';
import { routingSettings } from '../engine-setup';

export function registerRetry(program: Command, ctx: CliContext): void {
  program
    .command('retry')
    .description('queue deliveries that failed for good again, once their cause is fixed')
    .argument('[name]', 'only this token')
    .action((name: string | undefined) => {
      if (name !== undefined) ctx.tokens.getByName(name);
      const now = ctx.clock.now();
      const outbox = new Outbox(ctx.database);
      let count = outbox.requeueFailed(now, name);
      let stillUnrouted = 0;
      const { routing, enabled } = routingSettings(ctx.config);
      // Reminders that had no recipient at all: route them now that recipients may be configured.
      for (const entry of outbox.unroutedFailures(name)) {
        const token = ctx.tokens.findByName(entry.tokenName);
        if (token === null || token.id !== entry.tokenId || token.expiresAt.toMillis() !== entry.expiresAt.toMillis()) {
          outbox.cancelFailed(entry.id, 'the token was removed or renewed since; nothing to send');
          continue;
        }
        const routes = routesFor(token, routing, enabled);
        if (routes.length === 0) stillUnrouted += 1;
        else count += outbox.reroute(entry, routes, now);
      }
      ctx.io.out(
        count === 0
          ? 'No failed deliveries to retry.'
          : `Queued ${count} failed ${count === 1 ? 'delivery' : 'deliveries'} again; the daemon (or "tokenwatch scan") sends ${count === 1 ? 'it' : 'them'}.`,
      );
      if (stillUnrouted > 0) {
        ctx.io.out(
          `${stillUnrouted} ${stillUnrouted === 1 ? 'reminder has' : 'reminders have'} still no recipient: set TOKENWATCH_MAIL_TO / TOKENWATCH_SLACK_CHANNEL or the token's --email / --slack-channel.`,
        );
      }
    });
}

// `tokenwatch retry [NAME]`: after fixing why a delivery failed for good (the bot invited to the channel, the
// address fixed, recipients configured), queue it again; the daemon or the next scan sends it.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { buildEngine } from '../engine-setup';

export function registerRetry(program: Command, ctx: CliContext): void {
  program
    .command('retry')
    .description('queue deliveries that failed for good again, once their cause is fixed')
    .argument('[name]', 'only this token')
    .action((name: string | undefined) => {
      if (name !== undefined) ctx.tokens.getByName(name);
      const { queued: count, stillUnrouted } = buildEngine(ctx, { sends: false, templates: false }).retry(name);
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

// `tokenwatch retry [NAME]`: after fixing why a delivery failed for good (the bot invited to the channel, the
// address fixed), queue it again; the daemon or the next scan sends it.
import type { Command } from 'commander';
import { Outbox } from '../../store/outbox';
import type { CliContext } from '../context';

export function registerRetry(program: Command, ctx: CliContext): void {
  program
    .command('retry')
    .description('queue deliveries that failed for good again, once their cause is fixed')
    .argument('[name]', 'only this token')
    .action((name: string | undefined) => {
      if (name !== undefined) ctx.tokens.getByName(name);
      const count = new Outbox(ctx.database).requeueFailed(ctx.clock.now(), name);
      ctx.io.out(
        count === 0
          ? 'No failed deliveries to retry.'
          : `Queued ${count} failed ${count === 1 ? 'delivery' : 'deliveries'} again; the daemon (or "tokenwatch scan") sends ${count === 1 ? 'it' : 'them'}.`,
      );
    });
}

// `tokenwatch mute NAME [--until DATE]` and `tokenwatch unmute NAME`: pause and resume a token's reminders.
import type { Command } from 'commander';
import { InputError, quoted } from '../../errors';
import { parseDateInput } from '../../domain/dates';
import type { CliContext } from '../context';

export function registerMute(program: Command, ctx: CliContext): void {
  program
    .command('mute')
    .description('pause reminders for a token, until unmuted or until a date')
    .argument('<name>', 'token name')
    .option('--until <date>', 'resume by itself at this date: YYYY-MM-DD or ISO 8601')
    .action((name: string, options: { until?: string }) => {
      const now = ctx.clock.now();
      const until = options.until === undefined ? null : parseDateInput(options.until, ctx.config.zone, '--until');
      if (until !== null && until <= now) throw new InputError(`--until ${quoted(options.until ?? "")}: already past (expected a future date)`);
      const token = ctx.tokens.mute(name, until, now);
      ctx.io.out(`Muted "${token.name}"${until === null ? ' until unmuted' : ` until ${until.setZone(ctx.config.zone).toISO()}`}.`);
    });

  program
    .command('unmute')
    .description('resume reminders for a muted token')
    .argument('<name>', 'token name')
    .action((name: string) => {
      const token = ctx.tokens.unmute(name, ctx.clock.now());
      ctx.io.out(`Unmuted "${token.name}".`);
    });
}

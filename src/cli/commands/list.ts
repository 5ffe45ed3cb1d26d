// `tokenwatch list [--json]` and `tokenwatch show NAME [--json]`.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { tokenDetails, tokenTable, viewToken } from '../format';

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('all tokens, soonest expiry first')
    .option('--json', 'print a JSON array')
    .action((options: { json?: boolean }) => {
      const { zone, thresholds } = ctx.config;
      const now = ctx.clock.now();
      const views = ctx.tokens.list().map((token) => viewToken(token, now, zone, thresholds));
      ctx.io.out(options.json === true ? JSON.stringify(views, null, 2) : tokenTable(views, zone));
    });

  program
    .command('show')
    .description('one token in detail, with its history')
    .argument('<name>', 'token name')
    .option('--json', 'print a JSON object')
    .action((name: string, options: { json?: boolean }) => {
      const { zone, thresholds } = ctx.config;
      const tokens = ctx.tokens;
      const view = viewToken(tokens.getByName(name), ctx.clock.now(), zone, thresholds);
      const history = tokens.history(name).map((entry) => ({
        action: entry.action,
        at: entry.at.setZone(zone).toISO(),
        details: entry.details,
      }));
      if (options.json === true) {
        ctx.io.out(JSON.stringify({ ...view, history }, null, 2));
        return;
      }
      ctx.io.out(tokenDetails(view));
      ctx.io.out('History:');
      for (const entry of history) ctx.io.out(`  ${entry.at}  ${entry.action}`);
    });
}

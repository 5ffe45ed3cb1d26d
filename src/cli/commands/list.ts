// `tokenwatch list [--json]` and `tokenwatch show NAME [--json]` (with the sources that report the token).
import type { Command } from 'commander';
import { SourceLinks } from '../../store/source-links';
import type { CliContext } from '../context';
import { historyLine, tokenDetails, tokenTable, viewToken } from '../format';

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
      const token = tokens.getByName(name);
      const view = viewToken(token, ctx.clock.now(), zone, thresholds);
      // Every source that reports this token (a folder file, Apple, an MDM), and what it said last.
      const sources = new SourceLinks(ctx.database).forToken(token.id).map((link) => ({
        source: link.source,
        id: link.sourceId,
        state: link.state,
        expiresAt: link.expiresAt === null ? null : link.expiresAt.setZone(zone).toISO(),
        gone: link.goneAt !== null,
      }));
      const history = tokens.history(name).map((entry) => ({
        action: entry.action,
        at: entry.at.setZone(zone).toISO(),
        details: entry.details,
      }));
      if (options.json === true) {
        ctx.io.out(JSON.stringify({ ...view, sources, history }, null, 2));
        return;
      }
      ctx.io.out(tokenDetails(view, ctx.config));
      if (sources.length > 0) {
        ctx.io.out(`Sources: ${sources.map((s) => `${s.source} (${s.id}${s.gone ? ', gone' : ''})`).join(', ')}`);
      }
      ctx.io.out('History:');
      for (const entry of history) ctx.io.out(`  ${(entry.at ?? '').slice(0, 16).replace('T', ' ')}  ${historyLine(entry.action, entry.details, zone)}`);
    });
}

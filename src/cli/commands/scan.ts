// `tokenwatch scan [--at DATETIME] [--dry-run] [--json]`: one pass, as if it were `--at`.
import type { Command } from 'commander';
import { fixedClock } from '../../clock';
import { parseDateInput } from '../../domain/dates';
import { dryRun, scan } from '../../engine/scan';
import { Lease, newHolderId } from '../../daemon/lease';
import { Outbox } from '../../store/outbox';
import type { CliContext } from '../context';
import { buildScanDeps, scanSettings } from '../engine-setup';
import type { CommandResult } from '../command-result';

interface ScanOptions {
  at?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerScan(program: Command, ctx: CliContext, result: CommandResult): void {
  program
    .command('scan')
    .description('one pass: queue and send what is due now (or at --at)')
    .option('--at <datetime>', 'evaluate as if it were this moment: YYYY-MM-DD or ISO 8601')
    .option('--dry-run', 'print what would be sent; record and send nothing')
    .option('--json', 'print the result as JSON')
    .action(async (options: ScanOptions) => {
      const config = ctx.config;
      const clock = options.at === undefined ? ctx.clock : fixedClock(parseDateInput(options.at, config.zone, '--at'));
      const now = clock.now();
      if (options.dryRun === true) {
        const planned = dryRun({ tokens: ctx.tokens, outbox: new Outbox(ctx.database), settings: scanSettings(config) }, now);
        if (options.json === true) ctx.io.out(JSON.stringify({ at: now.toISO(), dryRun: true, reminders: planned }, null, 2));
        else if (planned.length === 0) ctx.io.out(`Nothing due at ${now.setZone(config.zone).toISO()}.`);
        else {
          ctx.io.out(`Would send at ${now.setZone(config.zone).toISO()} (dry run, nothing recorded):`);
          for (const p of planned) {
            const to = p.routes.map((r) => `${r.channel}:${r.recipient}`).join(', ') || '(no recipient)';
            const waits = p.waitsUntil === undefined ? '' : `  (waits for the send window: ${p.waitsUntil.setZone(config.zone).toISO()})`;
            ctx.io.out(`  ${p.token}  ${p.alert}  -> ${to}${waits}\n    ${p.subject}`);
          }
        }
        return;
      }
      // Only one process sends for a database at a time; the lease is taken on the real clock, not --at.
      const lease = new Lease(ctx.database, newHolderId(), config.leaseSeconds * 1000, 'daemon');
      if (!lease.tryAcquire(ctx.clock.now())) {
        ctx.io.err(
          `tokenwatch: a daemon (${lease.current()?.holder ?? 'unknown'}) is sending for ${config.dbPath}; it will scan on its schedule (use --dry-run to preview)`,
        );
        result.exitCode = 1;
        return;
      }
      ctx.onClose(() => lease.release());
      const report = await scan(buildScanDeps(ctx, clock), now);
      const { sent, retrying, failed } = report.delivery;
      if (options.json === true) {
        ctx.io.out(JSON.stringify({ at: now.toISO(), queued: report.planned, skipped: report.skipped, sent, retrying, failed }, null, 2));
      } else {
        for (const p of report.planned) {
          const waits = p.waitsUntil === undefined ? '' : ` (waits for the send window: ${p.waitsUntil.setZone(config.zone).toISO()})`;
          ctx.io.out(`Queued ${p.alert} for "${p.token}": ${p.subject}${waits}`);
        }
        ctx.io.out(`Scan at ${now.setZone(config.zone).toISO()}: ${report.planned.length} queued, ${report.skipped} skipped, ${sent} sent, ${retrying} to retry, ${failed} failed.`);
      }
      if (retrying + failed > 0) result.exitCode = 1;
    });
}

// `tokenwatch scan [--at DATETIME] [--dry-run] [--json]`: one pass, as if it were `--at`.
import type { Command } from 'commander';
import { fixedClock } from '../../clock';
import { parseDateInput } from '../../domain/dates';
import { describeHolder } from '../../store/lease';
import type { CliContext } from '../context';
import { buildEngine } from '../engine-setup';
import { prepareLeasedScan, type LeasedScanResult } from '../leased-scan';
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
        const planned = buildEngine(ctx, { sends: false, clock }).dryRun(now);
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
      // Settings and templates are read before the lease is taken: a bad one is refused before anything is written.
      // A bar on a terminal for a long first scan of a large registry: tokens planned, then reminders delivered.
      const bar = ctx.progress('scanning');
      let pass: LeasedScanResult;
      try {
        pass = await prepareLeasedScan(ctx, clock).run(now, (step, done, total) => bar.update(done, total, step === 'planning' ? 'scanning' : 'sending'));
      } finally {
        bar.finish();
      }
      if (!pass.isDone) {
        const then = pass.holder?.role === 'scan' ? 'run "tokenwatch scan" again once it has finished' : 'it will scan on its schedule';
        ctx.io.err(`tokenwatch: ${describeHolder(pass.holder)} is sending for ${config.dbPath}; ${then} (use --dry-run to preview)`);
        result.exitCode = 1;
        return;
      }
      const { report } = pass;
      if (pass.lostTo !== null) {
        ctx.io.err(`tokenwatch: lost the sending lease to ${pass.lostTo}; stopped before the next send (what is left stays queued for the sender)`);
        result.exitCode = 1;
      }
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

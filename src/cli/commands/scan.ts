// `tokenwatch scan [--at DATETIME] [--dry-run] [--json]`: one pass, as if it were `--at`.
import type { Command } from 'commander';
import { fixedClock } from '../../clock';
import { parseDateInput } from '../../domain/dates';
import { describeHolder, Lease, newHolderId } from '../../store/lease';
import type { CliContext } from '../context';
import { buildEngine } from '../engine-setup';
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
      // Only one process sends for a database at a time; the lease is kept on the real clock, not --at.
      const lease = new Lease(ctx.database, newHolderId(), config.leaseSeconds * 1000, { role: 'scan' });
      // Settings and templates before the lease is taken: a bad one is refused before anything is written.
      const engine = buildEngine(ctx, { sends: true, clock, lease });
      if (!lease.tryAcquire(ctx.clock.now())) {
        const holder = lease.current();
        const then = holder?.role === 'scan' ? 'run "tokenwatch scan" again once it has finished' : 'it will scan on its schedule';
        ctx.io.err(`tokenwatch: ${describeHolder(holder)} is sending for ${config.dbPath}; ${then} (use --dry-run to preview)`);
        result.exitCode = 1;
        return;
      }
      // Renewed every third of its time to live while the scan works (and before each send, by the claims).
      const renewal = setInterval(() => {
        try {
          lease.renew(ctx.clock.now());
        } catch (error) {
          ctx.logger.warn('lease.renew_failed', { error: error instanceof Error ? error.message : String(error) });
        }
      }, lease.ttlMs / 3);
      renewal.unref();
      ctx.onClose(() => {
        clearInterval(renewal);
        lease.release();
      });
      const report = await engine.scan({ now });
      if (report.delivery.leaseLost === true) {
        ctx.io.err(
          `tokenwatch: lost the sending lease to ${describeHolder(lease.latest())}; stopped before the next send (what is left stays queued for the sender)`,
        );
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

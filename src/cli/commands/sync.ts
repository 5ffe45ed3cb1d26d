// `tokenwatch sync [--json]`: runs every configured source once and prints what changed; exit 1 when a source failed.
import type { Command } from 'commander';
import { InputError } from '../../errors';
import { Lease, newHolderId } from '../../store/lease';
import { countChanges, syncSources, type SyncDeps } from '../../sources/sync';
import type { CliContext } from '../context';
import type { CommandResult } from '../command-result';
import { buildEngine } from '../engine-setup';
import { buildSyncDeps, configuredSources } from '../sources-setup';

interface SyncOptions {
  json?: boolean;
}

export function registerSync(program: Command, ctx: CliContext, result: CommandResult): void {
  program
    .command('sync')
    .description('read every configured source once (token folder, Apple, Intune, Jamf Pro) and bring the registry in step')
    .option('--json', 'print the result as JSON')
    .action(async (options: SyncOptions) => {
      const config = ctx.config;
      const sources = configuredSources(ctx);
      if (sources.length === 0) {
        throw new InputError('sync: no source configured (expected TOKENWATCH_TOKEN_DIR, the folder of token files, an Intune tenant or a Jamf Pro server)');
      }
      const report = await withSyncProgress(ctx, (onProgress) => syncSources({ ...buildSyncDeps(ctx, ctx.clock, sources), onProgress }));
      // Alerts go out now, unless a daemon sends for this database (it delivers them on its next pass).
      let delivery: { sent: number; retrying: number; failed: number } | null = null;
      const queued = report.sources.reduce((n, s) => n + s.alerts.length, 0);
      if (queued > 0) {
        const lease = new Lease(ctx.database, newHolderId(), config.leaseSeconds * 1000, { role: 'scan' });
        if (lease.tryAcquire(ctx.clock.now())) {
          ctx.onClose(() => lease.release());
          const bar = ctx.progress('sending');
          try {
            delivery = await buildEngine(ctx, { sends: true, lease }).deliverDue({ onProgress: (_step, done, total) => bar.update(done, total) });
          } finally {
            bar.finish();
          }
        }
      }
      const failed = report.sources.filter((s) => !s.isOk);
      if (options.json === true) {
        ctx.io.out(JSON.stringify({ at: report.at.toISO(), sources: report.sources, delivery }, null, 2));
      } else {
        for (const source of report.sources) {
          if (!source.isOk) {
            ctx.io.out(`${source.source}: failed: ${source.error ?? 'unknown error'}`);
            for (const alert of source.alerts) ctx.io.out(`${source.source}: alert queued: ${alert}`);
            continue;
          }
          for (const change of source.changes) if (change.kind !== 'unchanged') ctx.io.out(`${source.source}: ${change.text}`);
          for (const alert of source.alerts) ctx.io.out(`${source.source}: alert queued: ${alert}`);
          const c = countChanges(source);
          ctx.io.out(
            `${source.source}: ${c.added} added, ${c.renewed} renewed, ${c.state} state changed, ${c.unchanged} unchanged, ${c.gone} gone from the source` +
              (c.earlier > 0 ? `, ${c.earlier} earlier expiry not applied` : '') +
              (c.skipped > 0 ? `, ${c.skipped} skipped` : ''),
          );
        }
        if (queued > 0) {
          ctx.io.out(
            delivery === null
              ? `${queued} alert(s) queued; the daemon sends them.`
              : `${queued} alert(s) queued: ${delivery.sent} sent, ${delivery.retrying} to retry, ${delivery.failed} failed.`,
          );
        }
        ctx.io.out(`Sync at ${report.at.setZone(config.zone).toISO()}: ${report.sources.length - failed.length} of ${report.sources.length} source(s) read.`);
      }
      if (failed.length > 0) result.exitCode = 1;
    });
}

/** How often the bar is drawn again while one source is read (a slow MDM): it then shows the sync is alive. */
const SYNC_REDRAW_MS = 250;

/**
 * Runs `work` with a bar on a terminal: `syncing <source> [...] done/total` sources, drawn again every quarter second
 * while a source is read, so that a sync that takes more than a couple of seconds shows where it is.
 */
async function withSyncProgress<T>(ctx: CliContext, work: (onProgress: NonNullable<SyncDeps['onProgress']>) => Promise<T>): Promise<T> {
  const bar = ctx.progress('syncing');
  let last: { done: number; total: number; label: string } | null = null;
  const draw = (): void => {
    if (last !== null) bar.update(last.done, last.total, last.label);
  };
  const timer = setInterval(draw, SYNC_REDRAW_MS);
  timer.unref();
  try {
    return await work((done, total, current) => {
      last = { done, total, label: current === null ? 'syncing' : `syncing ${current}` };
      draw();
    });
  } finally {
    clearInterval(timer);
    bar.finish();
  }
}

// `tokenwatch daemon` (what `npm start` runs): scan at start-up and on the schedule until SIGINT or SIGTERM.
import type { Command } from 'commander';
import { Daemon } from '../../daemon/daemon';
import { DatabaseError } from '../../store/database';
import { Lease, newHolderId } from '../../daemon/lease';
import type { CliContext } from '../context';
import { buildScanDeps, describeDelivery } from '../engine-setup';

export function registerDaemon(program: Command, ctx: CliContext): void {
  program
    .command('daemon')
    .description('run the reminder service (scans at start-up, then on TOKENWATCH_SCHEDULE)')
    .action(async () => {
      const config = ctx.config;
      const logger = ctx.logger;
      if (!(await waitForDatabase(ctx))) {
        ctx.io.out('tokenwatch daemon: stopped.');
        return;
      }
      const deps = buildScanDeps(ctx, ctx.clock);
      const lease = new Lease(ctx.database, newHolderId(), config.leaseSeconds * 1000);
      const heartbeatMs = Math.max(500, Math.floor((config.leaseSeconds * 1000) / 3));
      const daemon = new Daemon({
        scanDeps: deps,
        lease,
        schedule: config.schedule,
        zone: config.zone,
        clock: ctx.clock,
        logger,
        heartbeatMs,
        retryCheckMs: Math.min(config.retryBaseSeconds * 1000, 30_000),
      });
      const tokenCount = ctx.tokens.count();
      ctx.io.out(`tokenwatch daemon: ${tokenCount} tokens in ${config.dbPath}; scans "${config.schedule}" (${config.zone}).`);
      ctx.io.out(`tokenwatch daemon: ${describeDelivery(config)}.`);
      if (tokenCount === 0) {
        ctx.io.out('tokenwatch daemon: no tokens registered yet; add them with "npx tokenwatch import FILE.vpptoken" (see README).');
      }
      daemon.on('lease:acquired', () => {
        ctx.io.out(`tokenwatch daemon: next scheduled scan ${daemon.nextRun()?.toISOString() ?? 'unknown'}.`);
      });
      daemon.on('lease:waiting', (holder) => {
        ctx.io.out(`tokenwatch daemon: another daemon (${holder}) sends for this database; waiting to take over.`);
      });
      await new Promise<void>((resolve) => {
        onStopSignal((signal) => {
          logger.info('daemon.stopping', { signal });
          void daemon.stop().then(resolve);
        });
        daemon.start();
      });
      ctx.io.out('tokenwatch daemon: stopped.');
    });
}

/**
 * Opens the registry, retrying with a capped backoff while it is unavailable (locked, read-only, folder missing on a
 * volume not mounted yet) instead of exiting into a restart loop. Resolves false when stopped by a signal first.
 */
async function waitForDatabase(ctx: CliContext): Promise<boolean> {
  let delayMs = 5000;
  let isStopped = false;
  let wake: (() => void) | null = null;
  const removeListener = onStopSignal(() => {
    isStopped = true;
    wake?.();
  });
  try {
    for (;;) {
      try {
        void ctx.database;
        return true;
      } catch (error) {
        if (!(error instanceof DatabaseError)) throw error;
        ctx.io.err(`tokenwatch daemon: ${error.message}; retrying in ${delayMs / 1000}s`);
        ctx.logger.error('database.unavailable', { error: error.message, retryInSeconds: delayMs / 1000 });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      if (isStopped) return false;
      delayMs = Math.min(delayMs * 2, 300_000);
    }
  } finally {
    removeListener();
  }
}

/** Calls `handler` once on the first SIGINT or SIGTERM; returns a function that removes it. */
function onStopSignal(handler: (signal: NodeJS.Signals) => void): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    remove();
    handler(signal);
  };
  const remove = (): void => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return remove;
}

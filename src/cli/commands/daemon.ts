// `tokenwatch daemon` (what `npm start` runs): scan at start-up and on the schedule until SIGINT or SIGTERM.
import type { Command } from 'commander';
import { Daemon } from '../../daemon/daemon';
import { detectHeartbeatKind } from '../../domain/heartbeat';
import { createHeartbeatPinger } from '../../notify/heartbeat-pinger';
import { httpAccessOf } from '../../http/exposure';
import { startStatusServer } from '../../http/server';
import { DatabaseError, registryProblem } from '../../store/database';
import { RegistryStats } from '../../store/registry-stats';
import { Lease, newHolderId } from '../../store/lease';
import { trackRegistryGeneration } from '../../daemon/registry-generation';
import { releaseIdleMemory } from '../../daemon/idle-memory';
import { SourceStatusStore } from '../../store/source-status';
import type { CliContext } from '../context';
import { buildEngine, describeDelivery } from '../engine-setup';
import type { SyncDeps } from '../../sources/sync';
import { buildSyncDeps, configuredSourceNames, configuredSources } from '../sources-setup';

/** The sources' sync, loaded only when sources are configured (a daemon without them holds none of their code). */
function syncSourcesFor(deps: SyncDeps): ReturnType<typeof import('../../sources/sync').syncSources> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { syncSources } = require('../../sources/sync') as typeof import('../../sources/sync');
  return syncSources(deps);
}

export function registerDaemon(program: Command, ctx: CliContext): void {
  program
    .command('daemon')
    .description('run the reminder service (scans at start-up, then on TOKENWATCH_SCHEDULE)')
    .action(async () => {
      // Listened for from the first line: a SIGINT or SIGTERM while the daemon starts (HTTP, the database, the
      // engine) stops it cleanly too, instead of Node's default of dying by the signal.
      const stop = listenForStop();
      const config = ctx.config;
      const logger = ctx.logger;
      // HTTP starts first, so that /healthz answers (503) while the database is unavailable, and a taken port stops
      // the daemon (exit 2) before it touches the registry.
      let stats: RegistryStats | null = null;
      let sourceStatus: SourceStatusStore | null = null;
      const sourceNames = configuredSourceNames(config);
      let databaseProblem = 'the database is not open yet';
      let daemon: Daemon | null = null;
      let generation: (() => number) | null = null;
      if (config.httpAddress !== null) {
        const server = await startStatusServer(config.httpAddress, {
          clock: ctx.clock,
          policy: { zone: config.zone, thresholds: config.thresholds, expiredRepeatDays: config.expiredRepeatDays },
          stats: () => {
            if (stats === null) throw new Error(databaseProblem);
            return stats;
          },
          daemonStatus: () => daemon?.status() ?? null,
          sources: () => {
            if (sourceStatus === null) throw new Error(databaseProblem);
            const rows = sourceStatus.all();
            return sourceNames.map((name) => {
              const row = rows.find((r) => r.source === name);
              return { name, lastSuccessAt: row?.lastSuccessAt ?? null, failingSince: row?.failingSince ?? null, lastError: row?.lastError ?? null, failures: row?.failures ?? 0 };
            });
          },
          logger,
          secrets: config.secrets,
          access: httpAccessOf(config),
          registryGeneration: () => generation?.() ?? 0,
        });
        ctx.onClose(() => server.close());
        ctx.io.out(`tokenwatch daemon: status page, /healthz and /metrics on ${server.url}`);
      } else {
        ctx.io.out('tokenwatch daemon: HTTP is off (TOKENWATCH_HTTP=off): no status page, /healthz or /metrics.');
      }
      if (!(await waitForDatabase(ctx, stop, (problem) => (databaseProblem = problem)))) {
        ctx.io.out('tokenwatch daemon: stopped.');
        return;
      }
      stats = new RegistryStats(ctx.database);
      sourceStatus = new SourceStatusStore(ctx.database);
      const engine = buildEngine(ctx, { sends: true });
      const lease = new Lease(ctx.database, newHolderId(), config.leaseSeconds * 1000);
      const sources = configuredSources(ctx);
      const syncDeps = sources.length === 0 ? null : buildSyncDeps(ctx, ctx.clock, sources);
      const heartbeatMs = Math.max(500, Math.floor((config.leaseSeconds * 1000) / 3));
      const running = new Daemon({
        engine,
        lease,
        schedule: config.schedule,
        zone: config.zone,
        clock: ctx.clock,
        logger,
        heartbeatMs,
        checkDatabase: () => registryProblem(config.dbPath),
        retryCheckMs: Math.min(config.retryBaseSeconds * 1000, 30_000),
        whenIdle: async () => logger.debug('idle.released', { ...(await releaseIdleMemory(ctx.database)) }),
        // The registry follows the sources: each scan starts with a sync.
        ...(syncDeps === null ? {} : { beforeScan: () => syncSourcesFor(syncDeps) }),
        ...(config.heartbeatUrl === null
          ? {}
          : {
              monitor: createHeartbeatPinger({
                url: config.heartbeatUrl,
                kind: config.heartbeatKind ?? detectHeartbeatKind(config.heartbeatUrl),
                timeoutMs: config.heartbeatTimeoutSeconds * 1000,
                logger,
                secrets: config.secrets,
              }),
            }),
      });
      daemon = running;
      generation = trackRegistryGeneration(running);
      const tokenCount = ctx.tokens.count();
      ctx.io.out(`tokenwatch daemon: ${tokenCount} tokens in ${config.dbPath}; scans "${config.schedule}" (${config.zone}).`);
      ctx.io.out(`tokenwatch daemon: ${describeDelivery(config)}.`);
      if (config.heartbeatUrl !== null) {
        const kind = config.heartbeatKind ?? detectHeartbeatKind(config.heartbeatUrl);
        ctx.io.out(`tokenwatch daemon: each scan is reported to the ${kind === 'uptime-kuma' ? 'Uptime Kuma push monitor' : 'Healthchecks.io check'} of TOKENWATCH_HEARTBEAT_URL.`);
      }
      if (tokenCount === 0) {
        ctx.io.out('tokenwatch daemon: no tokens registered yet; add them with "npx tokenwatch import FILE.vpptoken" (see README).');
      }
      running.on('lease:acquired', () => {
        ctx.io.out(`tokenwatch daemon: next scheduled scan ${running.nextRun()?.toISOString() ?? 'unknown'}.`);
      });
      running.on('lease:waiting', (holder) => {
        ctx.io.out(`tokenwatch daemon: another daemon (${holder}) sends for this database; waiting to take over.`);
      });
      if (stop.signal() === null) {
        await new Promise<void>((resolve) => {
          void stop.received.then((signal) => {
            logger.info('daemon.stopping', { signal });
            void running.stop().then(resolve);
          });
          running.start();
        });
      }
      ctx.io.out('tokenwatch daemon: stopped.');
    });
}

/**
 * Opens the registry, retrying with a capped backoff while it is unavailable (locked, read-only, folder missing on a
 * volume not mounted yet) instead of exiting into a restart loop. Resolves false when stopped by a signal first.
 */
async function waitForDatabase(ctx: CliContext, stop: StopSignal, onUnavailable: (problem: string) => void): Promise<boolean> {
  let delayMs = 5000;
  let wake: (() => void) | null = null;
  void stop.received.then(() => wake?.());
  for (;;) {
    if (stop.signal() !== null) return false;
    try {
      void ctx.database;
      return true;
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
      onUnavailable(error.message);
      ctx.io.err(`tokenwatch daemon: ${error.message}; retrying in ${delayMs / 1000}s`);
      ctx.logger.error('database.unavailable', { error: error.message, retryInSeconds: delayMs / 1000 });
    }
    if (stop.signal() !== null) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = null;
    delayMs = Math.min(delayMs * 2, 300_000);
  }
}

/** The first SIGINT or SIGTERM the process receives, from the moment it is asked for. */
interface StopSignal {
  readonly received: Promise<NodeJS.Signals>;
  /** The signal received so far, or null. */
  signal(): NodeJS.Signals | null;
}

function listenForStop(): StopSignal {
  let received: NodeJS.Signals | null = null;
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    const listener = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
      received = signal;
      resolve(signal);
    };
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
  });
  return { received: promise, signal: () => received };
}

// The long-running service: holds the lease, scans at start-up and on the cron schedule (never overlapping),
// retries the outbox between scans, and shuts down cleanly.
import { EventEmitter } from 'node:events';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { deliverDue } from '../engine/deliver';
import { scan, type ScanDeps, type ScanReport } from '../engine/scan';
import { Lease } from './lease';

export interface DaemonEvents {
  'lease:waiting': [holder: string];
  'lease:acquired': [];
  'lease:lost': [];
  'scan:done': [report: ScanReport];
  'scan:failed': [error: Error];
  'retry:done': [sent: number];
  stopped: [];
}

export interface DaemonOptions {
  readonly scanDeps: Omit<ScanDeps, 'shouldStop'>;
  readonly lease: Lease;
  readonly schedule: string;
  readonly zone: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Heartbeat and lease polling period. */
  readonly heartbeatMs: number;
  /** How often the outbox is checked for retries between scans. */
  readonly retryCheckMs: number;
  /** How long shutdown waits for in-flight sends before abandoning them (they stay queued). */
  readonly shutdownGraceMs?: number;
}

export class Daemon extends EventEmitter<DaemonEvents> {
  private task: ScheduledTask | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private isStopping = false;
  private hasLease = false;
  private hasAnnouncedWait = false;

  constructor(private readonly options: DaemonOptions) {
    super();
  }

  /** Starts the heartbeat: the daemon scans once it holds the lease. */
  start(): void {
    this.tick();
    this.heartbeat = setInterval(() => this.tick(), this.options.heartbeatMs);
  }

  /** Takes or renews the lease; begins or stops work accordingly. */
  private tick(): void {
    if (this.isStopping) return;
    const { lease, clock, logger } = this.options;
    let isHeld: boolean;
    try {
      isHeld = lease.tryAcquire(clock.now());
    } catch (error) {
      logger.error('lease.error', { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (isHeld && !this.hasLease) {
      this.hasLease = true;
      this.hasAnnouncedWait = false;
      logger.info('lease.acquired', { holder: lease.holder });
      this.beginWork();
      this.emit('lease:acquired');
    } else if (!isHeld && this.hasLease) {
      this.hasLease = false;
      logger.warn('lease.lost', { holder: lease.current()?.holder ?? null });
      this.emit('lease:lost');
      this.endWork();
    } else if (!isHeld && !this.hasAnnouncedWait) {
      this.hasAnnouncedWait = true;
      const holder = lease.current()?.holder ?? 'unknown';
      logger.info('lease.waiting', { holder, message: 'another tokenwatch daemon sends for this database; waiting to take over' });
      this.emit('lease:waiting', holder);
    }
  }

  private beginWork(): void {
    const { schedule, zone, logger } = this.options;
    this.task = cron.schedule(schedule, () => this.runScan('schedule'), { timezone: zone, noOverlap: true, name: 'tokenwatch-scan' });
    this.retryTimer = setInterval(() => this.runRetries(), this.options.retryCheckMs);
    void this.runScan('startup');
    logger.info('daemon.scheduled', { schedule, zone, nextRun: this.nextRun()?.toISOString() ?? null });
  }

  private endWork(): void {
    void this.task?.destroy();
    this.task = null;
    if (this.retryTimer !== null) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  nextRun(): Date | null {
    return this.task?.getNextRun() ?? null;
  }

  /** Runs one scan unless one is running (scans never overlap). */
  runScan(reason: 'startup' | 'schedule'): Promise<unknown> {
    const { logger } = this.options;
    if (this.isStopping || !this.hasLease) return Promise.resolve();
    if (this.running !== null) {
      logger.info('scan.skipped', { reason: 'previous scan still running' });
      return this.running;
    }
    logger.info('scan.started', { reason });
    const work = scan({ ...this.options.scanDeps, shouldStop: () => this.isStopping || !this.hasLease })
      .then((report) => {
        logger.info('scan.done', {
          queued: report.planned.length,
          skipped: report.skipped,
          sent: report.delivery.sent,
          retrying: report.delivery.retrying,
          failed: report.delivery.failed,
          nextRun: this.nextRun()?.toISOString() ?? null,
        });
        this.emit('scan:done', report);
      })
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        logger.error('scan.failed', { error: failure.message });
        this.emit('scan:failed', failure);
      })
      .finally(() => {
        this.running = null;
      });
    this.running = work;
    return work;
  }

  /** Between scans: sends outbox rows whose retry time has come. */
  private runRetries(): void {
    if (this.running !== null || this.isStopping || !this.hasLease) return;
    const { scanDeps, logger } = this.options;
    const next = scanDeps.outbox.nextAttemptAt();
    if (next === null || next > scanDeps.clock.now()) return;
    const work = deliverDue({
      outbox: scanDeps.outbox,
      channels: scanDeps.channels,
      clock: scanDeps.clock,
      retry: scanDeps.settings.retry,
      logger,
      secrets: scanDeps.settings.secrets,
      digestMin: scanDeps.settings.digestMin,
      ...(scanDeps.settings.templates === undefined ? {} : { templates: scanDeps.settings.templates }),
      shouldStop: () => this.isStopping || !this.hasLease,
      ...(scanDeps.settings.deliveryBudgetSeconds === undefined ? {} : { budgetSeconds: scanDeps.settings.deliveryBudgetSeconds }),
    })
      .then((report) => {
        if (report.sent + report.retrying + report.failed > 0) logger.info('retry.done', { ...report });
        this.emit('retry:done', report.sent);
      })
      .catch((error: unknown) => logger.error('retry.failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        this.running = null;
      });
    this.running = work;
  }

  /**
   * Stops taking new work, waits a short grace period for in-flight sends (what is not confirmed stays queued),
   * and gives up the lease.
   */
  async stop(): Promise<void> {
    if (this.isStopping) return;
    this.isStopping = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.endWork();
    const inFlight = this.running;
    if (inFlight !== null) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, this.options.shutdownGraceMs ?? 3000);
      });
      await Promise.race([inFlight, grace]);
      clearTimeout(timer);
    }
    if (this.hasLease) {
      try {
        this.options.lease.release();
      } catch (error) {
        this.options.logger.warn('lease.release_failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    this.hasLease = false;
    this.options.logger.info('daemon.stopped', {});
    this.emit('stopped');
  }
}

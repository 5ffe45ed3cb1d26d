// The long-running service: holds the lease, scans at start-up and on the cron schedule, retries the outbox between
// scans, and shuts down cleanly. Scans and retry passes take turns, one at a time: a scan that falls due while other
// work runs starts right after it (it is never skipped), and a retry pass never starts while a scan is running or due.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { DateTime } from 'luxon';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock';
import type { HeartbeatPing, HeartbeatSignal } from '../domain/heartbeat';
import { oneLine } from '../errors';
import { redact, type Logger } from '../log';
import type { Engine } from '../engine/engine';
import type { ScanReport } from '../engine/scan';
import type { SendClaims } from '../engine/send-claims';
import type { Lease } from '../store/lease';
import { cronSchedule, nextRunAfter, type CronSchedule } from './schedule';

/** How the last finished scan went. Delivery failures do not fail a scan: they stay queued and show in metrics. */
export interface ScanOutcome {
  readonly startedAt: DateTime;
  readonly finishedAt: DateTime;
  /** Measured with a monotonic timer, not the injected clock. */
  readonly durationSeconds: number;
  readonly isOk: boolean;
  /** Why the scan failed (one line), null when it worked. */
  readonly error: string | null;
  readonly queued: number;
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
}

/** What /healthz and /metrics need to know about the daemon, at one instant. Plain data. */
export interface DaemonStatus {
  /** This daemon's lease holder id (`host:pid:random`). */
  readonly holder: string;
  readonly isLeaseHeld: boolean;
  /** Who holds the lease now, as the database says (another daemon while this one is on standby); null if nobody. */
  readonly leaseHolder: string | null;
  /** When this daemon last took the lease; null while it has not got it. */
  readonly leaseAcquiredAt: DateTime | null;
  readonly isScanning: boolean;
  /** When the most recent scan started (it may still be running). */
  readonly lastScanStartedAt: DateTime | null;
  readonly lastScan: ScanOutcome | null;
  readonly lastSuccessAt: DateTime | null;
  /** What the database check at the last scan found wrong (damaged file, unexpected schema); null when sound. */
  readonly databaseProblem: string | null;
  /** Scans finished since this daemon started, by result. */
  readonly scanCounts: { readonly ok: number; readonly failed: number };
  /**
   * The scheduled run that follows the most recent scan start (or the lease being taken): in the past when a
   * scheduled scan has not started. Null while on standby.
   */
  readonly nextScanAt: DateTime | null;
}

export interface DaemonEvents {
  'lease:waiting': [holder: string];
  'lease:acquired': [];
  'lease:lost': [];
  'scan:done': [report: ScanReport];
  'scan:failed': [error: Error];
  'retry:done': [sent: number];
  /** The monitor was told how a scan ended (TOKENWATCH_HEARTBEAT_URL), or the attempt failed and was logged. */
  'heartbeat:sent': [signal: HeartbeatSignal];
  stopped: [];
}

export interface DaemonOptions {
  /** The engine the daemon scans and delivers with; it claims rows under the daemon's own lease. */
  readonly engine: Engine;
  readonly lease: Lease;
  readonly schedule: string;
  readonly zone: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Heartbeat and lease polling period. */
  readonly heartbeatMs: number;
  /** How often the outbox is checked for retries between scans. */
  readonly retryCheckMs: number;
  /** Checks the database on disk at each scan: the problem in one line, or null when sound. */
  readonly checkDatabase?: () => string | null;
  /** How long shutdown waits for in-flight sends before abandoning them (they stay queued). */
  readonly shutdownGraceMs?: number;
  /** Runs before each scan (the sources' sync); its failure is logged and never stops the scan. */
  readonly beforeScan?: () => Promise<unknown>;
  /**
   * The outside monitor told about each scan (TOKENWATCH_HEARTBEAT_URL; not the lease heartbeat above): start when
   * it starts, then success, or fail with the reason. A ping's failure is logged by it and never changes the scan.
   */
  readonly monitor?: HeartbeatPing;
  /**
   * Runs once the daemon has been idle for `idleSettleMs` after a scan or a retry pass (nothing running or queued):
   * the edge gives back the memory the work left (full GCs, SQLite's page cache). Its failure is logged.
   */
  readonly whenIdle?: () => unknown;
  /** How long the daemon waits after work ends before calling whenIdle (connections close, logs flush). */
  readonly idleSettleMs?: number;
}

const IDLE_SETTLE_MS = 500;

type ScanReason = 'startup' | 'schedule';

export class Daemon extends EventEmitter<DaemonEvents> {
  private task: ScheduledTask | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The scan or retry pass running now; they never overlap. */
  private running: { readonly kind: 'scan' | 'retry'; readonly done: Promise<void> } | null = null;
  /** A scan that fell due while other work ran: it starts as soon as that work ends. */
  private queuedScan: { readonly reason: ScanReason; readonly done: Promise<void>; readonly start: () => void } | null = null;
  private readonly claims: SendClaims;
  private isStopping = false;
  private hasLease = false;
  private hasAnnouncedWait = false;
  private readonly cronSchedule: CronSchedule;
  private leaseAcquiredAt: DateTime | null = null;
  private lastScanStartedAt: DateTime | null = null;
  private lastScan: ScanOutcome | null = null;
  private lastSuccessAt: DateTime | null = null;
  private isScanning = false;
  private databaseProblem: string | null = null;
  private readonly scanCounts = { ok: 0, failed: 0 };
  /** nextRunAfter's answer for the last instant asked (health is polled far more often than scans start). */
  private nextRunMemo: { since: number; next: DateTime | null } | null = null;

  constructor(private readonly options: DaemonOptions) {
    super();
    this.cronSchedule = cronSchedule(options.schedule, options.zone);
    this.claims = options.engine.claimsUnder(options.lease, options.clock);
  }

  /** A snapshot for health and metrics; reads the lease row, never throws. */
  status(): DaemonStatus {
    let leaseHolder: string | null;
    try {
      leaseHolder = this.options.lease.current()?.holder ?? null;
    } catch {
      leaseHolder = null; // the database is unavailable: health reports that separately
    }
    const since = this.lastScanStartedAt ?? this.leaseAcquiredAt;
    return {
      holder: this.options.lease.holder,
      isLeaseHeld: this.hasLease,
      leaseHolder,
      leaseAcquiredAt: this.leaseAcquiredAt,
      isScanning: this.isScanning,
      lastScanStartedAt: this.lastScanStartedAt,
      lastScan: this.lastScan,
      lastSuccessAt: this.lastSuccessAt,
      databaseProblem: this.databaseProblem,
      scanCounts: { ...this.scanCounts },
      nextScanAt: this.hasLease && since !== null ? this.nextRunAfter(since) : null,
    };
  }

  private nextRunAfter(since: DateTime): DateTime | null {
    if (this.nextRunMemo?.since !== since.toMillis()) {
      this.nextRunMemo = { since: since.toMillis(), next: nextRunAfter(this.cronSchedule, since) };
    }
    return this.nextRunMemo.next;
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
      this.leaseAcquiredAt = clock.now();
      logger.info('lease.acquired', { holder: lease.holder });
      this.beginWork();
      this.emit('lease:acquired');
    } else if (!isHeld && this.hasLease) {
      this.hasLease = false;
      this.leaseAcquiredAt = null;
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
    // No noOverlap: a run that falls due while work is in progress is queued by runScan, never dropped.
    this.task = cron.schedule(
      schedule,
      () => {
        void this.runScan('schedule');
      },
      { timezone: zone, name: 'tokenwatch-scan' },
    );
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

  /**
   * Runs a scan now, or right after the scan or retry pass in progress (one queued scan stands for every run that
   * falls due meanwhile: a scan reads the whole registry). Resolves when that scan has finished.
   */
  runScan(reason: ScanReason): Promise<void> {
    const { logger } = this.options;
    if (this.isStopping || !this.hasLease) return Promise.resolve();
    if (this.running === null) return this.startScan(reason);
    if (this.queuedScan !== null) {
      logger.info('scan.queued', { reason, after: this.running.kind, message: 'a scan is already queued to start after the work in progress' });
      return this.queuedScan.done;
    }
    logger.info('scan.queued', {
      reason,
      after: this.running.kind,
      message: this.running.kind === 'scan' ? 'previous scan still running; this one starts right after it' : 'starts when the retry pass ends',
    });
    let start = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      start = () => {
        this.queuedScan = null;
        if (this.isStopping || !this.hasLease) {
          logger.info('scan.dropped', { reason, cause: this.isStopping ? 'stopping' : 'lease lost' });
          resolve();
          return;
        }
        void this.startScan(reason).then(resolve);
      };
    });
    this.queuedScan = { reason, done, start };
    return done;
  }

  /** Starts whatever waits once the work in progress is over: a queued scan, or else the idle clean-up. */
  private workEnded(): void {
    this.running = null;
    this.queuedScan?.start();
    if (this.running === null && !this.isStopping) this.scheduleIdle();
  }

  /** Calls whenIdle once the daemon has stayed idle for a moment; new work or stop() cancels it. */
  private scheduleIdle(): void {
    const whenIdle = this.options.whenIdle;
    if (whenIdle === undefined) return;
    this.cancelIdle();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.running !== null || this.isStopping) return;
      // A thrown error and a rejected promise alike are logged; nothing waits for the release.
      Promise.resolve()
        .then(whenIdle)
        .catch((error: unknown) => this.options.logger.warn('idle.failed', { error: error instanceof Error ? error.message : String(error) }));
    }, this.options.idleSettleMs ?? IDLE_SETTLE_MS);
    this.idleTimer.unref();
  }

  private cancelIdle(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private startScan(reason: ScanReason): Promise<void> {
    const { logger, clock } = this.options;
    logger.info('scan.started', { reason });
    const startedAt = clock.now();
    const startedMs = performance.now();
    const finish = (outcome: Omit<ScanOutcome, 'startedAt' | 'finishedAt' | 'durationSeconds'>): void => {
      this.lastScan = { startedAt, finishedAt: clock.now(), durationSeconds: (performance.now() - startedMs) / 1000, ...outcome };
      if (outcome.isOk) this.lastSuccessAt = startedAt;
      this.scanCounts[outcome.isOk ? 'ok' : 'failed'] += 1;
      this.isScanning = false;
    };
    this.lastScanStartedAt = startedAt;
    this.isScanning = true;
    this.databaseProblem = this.options.checkDatabase?.() ?? null;
    if (this.databaseProblem !== null) logger.error('database.damaged', { error: this.databaseProblem });
    // The start ping goes out alongside the work; the outcome's ping waits for it, so the monitor hears them in order.
    const started = this.options.monitor?.send('start', `tokenwatch scan started (${reason})`) ?? Promise.resolve();
    const beat = async (outcome: ScanOutcome | null): Promise<void> => {
      const monitor = this.options.monitor;
      if (monitor === undefined || outcome === null) return;
      await started;
      const problem = scanProblem(outcome, this.databaseProblem);
      const signal = problem === null ? 'success' : 'fail';
      await monitor.send(signal, problem ?? `tokenwatch scan done: ${scanSummary(outcome)}`, outcome.durationSeconds * 1000);
      this.emit('heartbeat:sent', signal);
    };
    const beforeScan = (this.options.beforeScan?.() ?? Promise.resolve()).catch((error: unknown) => {
      logger.error('sync.failed', { error: redact(oneLine(error), this.options.engine.settings.secrets) });
    });
    const work = beforeScan
      .then(() => this.options.engine.scan({ claims: this.claims, shouldStop: () => this.isStopping || !this.hasLease }))
      .then((report) => {
        finish({
          isOk: true,
          error: null,
          queued: report.planned.length,
          sent: report.delivery.sent,
          retrying: report.delivery.retrying,
          failed: report.delivery.failed,
        });
        logger.info('scan.done', {
          reason,
          queued: report.planned.length,
          skipped: report.skipped,
          sent: report.delivery.sent,
          retrying: report.delivery.retrying,
          failed: report.delivery.failed,
          ...(report.delivery.leaseLost === true ? { leaseLost: true } : {}),
          nextRun: this.nextRun()?.toISOString() ?? null,
        });
        if (report.delivery.leaseLost === true) this.tick();
        this.emit('scan:done', report);
      })
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        finish({ isOk: false, error: redact(oneLine(failure), this.options.engine.settings.secrets), queued: 0, sent: 0, retrying: 0, failed: 0 });
        logger.error('scan.failed', { error: failure.message });
        this.emit('scan:failed', failure);
      })
      .then(() => beat(this.lastScan))
      .finally(() => this.workEnded());
    this.running = { kind: 'scan', done: work };
    return work;
  }

  /** Between scans: sends outbox rows whose retry time has come, unless a scan runs or waits (it delivers anyway). */
  private runRetries(): void {
    if (this.running !== null || this.queuedScan !== null || this.isStopping || !this.hasLease) return;
    const { engine, clock, logger } = this.options;
    const next = engine.nextAttemptAt();
    if (next === null || next > clock.now()) return;
    const work = engine
      .deliverDue({ claims: this.claims, logger, shouldStop: () => this.isStopping || !this.hasLease })
      .then((report) => {
        if (report.sent + report.retrying + report.failed > 0 || report.leaseLost === true) logger.info('retry.done', { ...report });
        if (report.leaseLost === true) this.tick();
        this.emit('retry:done', report.sent);
      })
      .catch((error: unknown) => logger.error('retry.failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.workEnded());
    this.running = { kind: 'retry', done: work };
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
    this.cancelIdle();
    this.queuedScan?.start();
    const inFlight = this.running?.done ?? null;
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

/** Why the monitor is told the scan failed: it threw, a delivery failed for good, or the database is damaged; else null. */
function scanProblem(outcome: ScanOutcome, databaseProblem: string | null): string | null {
  if (!outcome.isOk) return `tokenwatch scan failed: ${outcome.error ?? 'unknown error'}`;
  if (databaseProblem !== null) return `tokenwatch database problem: ${databaseProblem}`;
  if (outcome.failed > 0) {
    return `tokenwatch scan: ${outcome.failed} reminder deliver${outcome.failed === 1 ? 'y' : 'ies'} failed for good (see tokenwatch history); ${scanSummary(outcome)}`;
  }
  return null;
}

/** `3 queued, 3 sent, 0 to retry, 0 failed`. */
function scanSummary(outcome: ScanOutcome): string {
  return `${outcome.queued} queued, ${outcome.sent} sent, ${outcome.retrying} to retry, ${outcome.failed} failed`;
}

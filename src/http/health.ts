// GET /healthz: is this daemon alive and doing its job? A pure function of the daemon's status, the database check
// and the time. 503 when the database cannot be read, the last scan failed, or a scheduled scan is overdue.
import type { DateTime } from 'luxon';
import type { DaemonStatus } from '../daemon/daemon';

/** How late a scheduled scan may start before health reports it overdue. */
export const OVERDUE_GRACE_SECONDS = 300;

export type DatabaseCheck = { readonly isOk: true } | { readonly isOk: false; readonly error: string };

/** One configured source as health shows it: when it last worked and, while it fails, since when and why. */
export interface SourceHealth {
  readonly name: string;
  readonly lastSuccessAt: DateTime | null;
  readonly failingSince: DateTime | null;
  readonly lastError: string | null;
  readonly failures: number;
}

export interface HealthInput {
  /** Null while the daemon has not started (it is still waiting for the database). */
  readonly daemon: DaemonStatus | null;
  readonly database: DatabaseCheck;
  readonly now: DateTime;
  readonly zone: string;
  readonly overdueGraceSeconds?: number;
  /** The configured sources (listed; a failing source does not make the daemon unhealthy: it alerts on its own). */
  readonly sources?: readonly SourceHealth[];
}

/**
 * `ok`: holds the lease and scans on time. `standby`: another daemon holds the lease; this one waits to take over
 * (200: it is healthy, and restarting it would not help). `starting`: no lease decision yet. The others are 503.
 */
export type HealthStatus = 'ok' | 'standby' | 'starting' | 'database-unavailable' | 'scan-failed' | 'scan-overdue';

export interface HealthReport {
  readonly statusCode: 200 | 503;
  readonly body: {
    readonly status: HealthStatus;
    readonly time: string;
    readonly database: { readonly ok: boolean; readonly error?: string };
    readonly lease: { readonly held: boolean; readonly holder: string | null; readonly self: string | null };
    readonly scanning: boolean;
    readonly lastScan: {
      readonly startedAt: string;
      readonly finishedAt: string;
      readonly durationSeconds: number;
      readonly result: 'ok' | 'failed';
      readonly error: string | null;
      readonly queued: number;
      readonly sent: number;
      readonly retrying: number;
      readonly failed: number;
    } | null;
    readonly lastSuccessfulScanAt: string | null;
    readonly nextScanAt: string | null;
    readonly overdue: boolean;
    readonly sources: readonly {
      readonly name: string;
      readonly lastSuccessAt: string | null;
      readonly failingSince: string | null;
      readonly lastError: string | null;
      readonly failures: number;
    }[];
  };
}

export function healthReport(input: HealthInput): HealthReport {
  const { daemon, database, now, zone } = input;
  const iso = (at: DateTime | null | undefined): string | null => (at == null ? null : at.setZone(zone).toISO());
  const grace = (input.overdueGraceSeconds ?? OVERDUE_GRACE_SECONDS) * 1000;
  const isOverdue = daemon !== null && daemon.isLeaseHeld && daemon.nextScanAt !== null && now.toMillis() > daemon.nextScanAt.toMillis() + grace;
  const lastScan = daemon?.lastScan ?? null;

  // The daemon's check at each scan reads the file on disk; a damaged file turns health 503 with its reason.
  const databaseProblem = daemon?.databaseProblem ?? null;
  const checked: DatabaseCheck = !database.isOk || databaseProblem === null ? database : { isOk: false, error: databaseProblem };
  let status: HealthStatus;
  if (!checked.isOk) status = 'database-unavailable';
  else if (daemon === null) status = 'starting';
  else if (daemon.isLeaseHeld && lastScan !== null && !lastScan.isOk) status = 'scan-failed';
  else if (isOverdue) status = 'scan-overdue';
  else if (daemon.isLeaseHeld) status = 'ok';
  else if (daemon.leaseHolder !== null && daemon.leaseHolder !== daemon.holder) status = 'standby';
  else status = 'starting';

  const isHealthy = status === 'ok' || status === 'standby' || status === 'starting';
  return {
    statusCode: isHealthy ? 200 : 503,
    body: {
      status,
      time: iso(now) ?? '',
      database: checked.isOk ? { ok: true } : { ok: false, error: checked.error },
      lease: { held: daemon?.isLeaseHeld ?? false, holder: daemon?.leaseHolder ?? null, self: daemon?.holder ?? null },
      scanning: daemon?.isScanning ?? false,
      lastScan:
        lastScan === null
          ? null
          : {
              startedAt: iso(lastScan.startedAt) ?? '',
              finishedAt: iso(lastScan.finishedAt) ?? '',
              durationSeconds: Math.round(lastScan.durationSeconds * 1000) / 1000,
              result: lastScan.isOk ? 'ok' : 'failed',
              error: lastScan.error,
              queued: lastScan.queued,
              sent: lastScan.sent,
              retrying: lastScan.retrying,
              failed: lastScan.failed,
            },
      lastSuccessfulScanAt: iso(daemon?.lastSuccessAt),
      nextScanAt: iso(daemon?.nextScanAt),
      overdue: isOverdue,
      sources: (input.sources ?? []).map((source) => ({
        name: source.name,
        lastSuccessAt: iso(source.lastSuccessAt),
        failingSince: iso(source.failingSince),
        lastError: source.lastError,
        failures: source.failures,
      })),
    },
  };
}

// GET /metrics: Prometheus text format. Registry figures are read from SQLite at scrape time (so they survive restarts
// and agree across daemons); scan figures come from this daemon's status. Per-token series are capped.
import type { DateTime } from 'luxon';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../clock';
import type { DaemonStatus } from '../daemon/daemon';
import { daysLeft, daysLeftOfSorted } from '../domain/dates';
import type { ChannelDeliveries, RegistryStats, StateCounts } from '../store/registry-stats';
import type { SourceHealth } from './health';

/** At most this many `tokenwatch_token_days_left` series (the soonest-expiring tokens): one per token is fine for
 * hundreds of tokens, but 100,000 series would burden Prometheus more than they help. */
export const TOKEN_SERIES_LIMIT = 1000;

export interface MetricsSources {
  readonly clock: Clock;
  readonly zone: string;
  readonly thresholds: readonly number[];
  /** The registry figures; throws while the database is unavailable. */
  readonly stats: () => RegistryStats;
  readonly daemonStatus: () => DaemonStatus | null;
  readonly tokenSeriesLimit?: number;
  /** The configured sources and how their reads went; throws while the database is unavailable. */
  readonly sources?: () => readonly SourceHealth[];
}

export interface Metrics {
  readonly contentType: string;
  render(): Promise<string>;
}

const seconds = (at: DateTime): number => at.toMillis() / 1000;

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const limit = sources.tokenSeriesLimit ?? TOKEN_SERIES_LIMIT;

  // The database is read once per scrape, before the collectors run, in one read transaction so figures agree.
  let snapshot: RegistrySnapshot | null = null;
  // The daemon's status, likewise read once per scrape (it reads the lease row) for all the collectors below.
  let daemon: DaemonStatus | null = null;

  new Gauge({
    name: 'tokenwatch_database_up',
    help: '1 when the registry database could be read for this scrape, else 0 (the registry figures are then absent).',
    registers,
    collect() {
      this.set(snapshot === null ? 0 : 1);
    },
  });

  new Gauge({
    name: 'tokenwatch_tokens',
    help: 'Registered tokens per state (ok, warning, critical, expired) in the configured zone.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [state, count] of Object.entries(snapshot?.counts ?? {})) this.set({ state }, count);
    },
  });

  new Gauge({
    name: 'tokenwatch_token_days_left',
    help: `Calendar days until each token expires (negative once expired); the ${limit} soonest-expiring tokens only.`,
    labelNames: ['token', 'kind'] as const,
    registers,
    collect() {
      this.reset();
      for (const token of snapshot?.soonest ?? []) this.set({ token: token.name, kind: token.kind }, token.daysLeft);
    },
  });

  new Gauge({
    name: 'tokenwatch_token_days_left_omitted',
    help: 'Tokens left out of tokenwatch_token_days_left by its series limit (they expire later than those shown).',
    registers,
    collect() {
      this.reset();
      if (snapshot !== null) this.set(Math.max(0, snapshot.tokenCount - snapshot.soonest.length));
    },
  });

  new Counter({
    name: 'tokenwatch_reminders_sent_total',
    help: 'Reminders accepted by the server, per channel (from the outbox; survives restarts).',
    labelNames: ['channel'] as const,
    registers,
    collect() {
      this.reset();
      for (const row of snapshot?.deliveries ?? []) this.inc({ channel: row.channel }, row.sent);
    },
  });

  const perChannel = (name: string, help: string, pick: (row: ChannelDeliveries) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['channel'] as const,
      registers,
      collect() {
        this.reset();
        for (const row of snapshot?.deliveries ?? []) this.set({ channel: row.channel }, pick(row));
      },
    });
  };
  perChannel(
    'tokenwatch_reminders_failed',
    'Reminders that failed for good and wait for "tokenwatch retry", per channel (channel "none": no recipient).',
    (row) => row.failed,
  );
  perChannel('tokenwatch_reminders_retrying', 'Reminders whose delivery failed and will be retried, per channel.', (row) => row.retrying);
  perChannel('tokenwatch_outbox_pending', 'The outbox backlog: reminders queued and not yet sent, per channel.', (row) => row.pending);

  new Gauge({
    name: 'tokenwatch_outbox_oldest_pending_age_seconds',
    help: 'How long the oldest reminder still queued has waited (0 when the outbox is empty).',
    registers,
    collect() {
      this.reset();
      if (snapshot === null) return;
      const oldest = snapshot.oldestPendingAt;
      this.set(oldest === null ? 0 : Math.max(0, seconds(snapshot.now) - seconds(oldest)));
    },
  });

  const daemonGauge = (name: string, help: string, value: (status: DaemonStatus) => number | null): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.reset();
        const v = daemon === null ? null : value(daemon);
        if (v !== null) this.set(v);
      },
    });
  };
  daemonGauge('tokenwatch_lease_held', '1 when this daemon holds the lease (it is the one sending), 0 on standby.', (s) => (s.isLeaseHeld ? 1 : 0));
  // Unlabelled gauges always have a value in prom-client: 0 stands for "none yet" (no scan, or on standby).
  daemonGauge('tokenwatch_scan_duration_seconds', 'How long the last scan of this daemon took (0 before its first scan).', (s) =>
    s.lastScan?.durationSeconds ?? null,
  );
  daemonGauge('tokenwatch_last_scan_timestamp_seconds', 'When the last scan of this daemon started (Unix time; 0 before its first).', (s) =>
    s.lastScanStartedAt === null ? null : seconds(s.lastScanStartedAt),
  );
  daemonGauge(
    'tokenwatch_last_successful_scan_timestamp_seconds',
    'When the last successful scan of this daemon started (Unix time; 0 before its first).',
    (s) => (s.lastSuccessAt === null ? null : seconds(s.lastSuccessAt)),
  );
  daemonGauge(
    'tokenwatch_next_scan_timestamp_seconds',
    'When the next scheduled scan is due (Unix time; in the past when overdue; 0 on standby).',
    (s) => (s.nextScanAt === null ? null : seconds(s.nextScanAt)),
  );
  new Counter({
    name: 'tokenwatch_scans_total',
    help: 'Scans this daemon finished since it started, by result (ok, failed).',
    labelNames: ['result'] as const,
    registers,
    collect() {
      this.reset();
      const counts = daemon?.scanCounts;
      if (counts === undefined) return;
      this.inc({ result: 'ok' }, counts.ok);
      this.inc({ result: 'failed' }, counts.failed);
    },
  });

  let sourceRows: readonly SourceHealth[] = [];
  new Gauge({
    name: 'tokenwatch_source_last_success_timestamp_seconds',
    help: 'When each configured source was last read successfully (Unix time; 0 if never).',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const row of sourceRows) this.set({ source: row.name }, row.lastSuccessAt === null ? 0 : seconds(row.lastSuccessAt));
    },
  });
  new Counter({
    name: 'tokenwatch_source_failures_total',
    help: 'Failed reads of each configured source, ever (from the database).',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const row of sourceRows) this.inc({ source: row.name }, row.failures);
    },
  });

  collectDefaultMetrics({ register: registry });

  return {
    contentType: registry.contentType,
    render: () => {
      snapshot = readSnapshot(sources, limit);
      daemon = sources.daemonStatus();
      try {
        sourceRows = sources.sources?.() ?? [];
      } catch {
        sourceRows = [];
      }
      return registry.metrics();
    },
  };
}

interface RegistrySnapshot {
  readonly now: DateTime;
  readonly counts: StateCounts;
  readonly soonest: readonly { name: string; kind: string; daysLeft: number }[];
  readonly tokenCount: number;
  readonly deliveries: readonly ChannelDeliveries[];
  readonly oldestPendingAt: DateTime | null;
}

function soonestWithDaysLeft(stats: RegistryStats, limit: number, now: DateTime, zone: string): RegistrySnapshot['soonest'] {
  const tokens = stats.soonestTokens(limit);
  const days = daysLeftOfSorted(tokens.map((t) => t.expiresAt), now, zone);
  return tokens.map((t, i) => ({ name: t.name, kind: t.kind, daysLeft: days[i] ?? daysLeft(t.expiresAt, now, zone) }));
}

/** Every registry figure of one scrape, or null when the database cannot be read. */
function readSnapshot(sources: MetricsSources, limit: number): RegistrySnapshot | null {
  const now = sources.clock.now();
  try {
    const stats = sources.stats();
    return stats.readConsistently(() => ({
      now,
      counts: stats.countByState(now, sources.zone, sources.thresholds),
      soonest: soonestWithDaysLeft(stats, limit, now, sources.zone),
      tokenCount: stats.tokenCount(),
      deliveries: stats.deliveriesByChannel(),
      oldestPendingAt: stats.oldestPendingAt(),
    }));
  } catch {
    return null;
  }
}

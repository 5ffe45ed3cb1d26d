// Read-only figures for health, metrics and the status page, taken from SQLite when asked so that they survive
// restarts and agree with every daemon on the database. Aggregates run in SQL; per-token reads are capped. It writes
// no table; what a table's owner already answers (the token count, the decided alerts) it asks that owner.
import type { DateTime } from 'luxon';
import type { AlertKey } from '../domain/alert';
import type { TokenKind } from '../domain/token';
import { stateBoundaries, type TokenState } from '../domain/token-state';
import type { Db } from './database';
import { DecisionLedger } from './decision-ledger';
import type { OutboxStatus } from './outbox';
import { instant, Repository } from './repository';
import { TokenRepository } from './token-repository';

export type StateCounts = Record<TokenState, number>;

export interface ChannelDeliveries {
  readonly channel: string;
  readonly sent: number;
  /** Failed for good: waiting for `tokenwatch retry`. */
  readonly failed: number;
  /** Queued, not yet accepted by the server (the outbox backlog). */
  readonly pending: number;
  /** Pending after at least one failed attempt. */
  readonly retrying: number;
}

/** The fields of a token the status page and metrics show. */
export interface TokenSummary {
  readonly id: number;
  readonly name: string;
  readonly kind: TokenKind;
  readonly expiresAt: DateTime;
  readonly thresholds: readonly number[] | null;
  readonly mutedAt: DateTime | null;
  readonly mutedUntil: DateTime | null;
}

export interface DeliverySummary {
  readonly tokenId: number;
  readonly tokenName: string;
  readonly alert: AlertKey;
  readonly channel: string;
  readonly recipient: string;
  readonly status: OutboxStatus;
  /** When it was sent, or when it was queued for rows not sent. */
  readonly at: DateTime;
  readonly lastError: string | null;
}

export class RegistryStats extends Repository {
  private readonly tokens: TokenRepository;
  private readonly decisions: DecisionLedger;

  constructor(db: Db) {
    super(db);
    this.tokens = new TokenRepository(db);
    this.decisions = new DecisionLedger(db);
  }

  /** Runs `read` in one read transaction, so that the figures it takes describe the same moment. */
  readConsistently<T>(read: () => T): T {
    return this.db.transaction(read).deferred();
  }

  /** Throws when the database cannot be read. */
  ping(): void {
    this.sql('SELECT count(*) FROM sqlite_master').get();
  }

  /**
   * SQLite's `PRAGMA data_version`: changes when another connection (another process: the CLI, a second daemon) has
   * committed a write since the last read on this connection. Writes made on this same connection do not change it.
   */
  dataVersion(): number {
    return (this.sql('PRAGMA data_version').get() as { data_version: number }).data_version;
  }

  tokenCount(): number {
    return this.tokens.count();
  }

  /**
   * Tokens per state at `now`, counted by SQL over expiry ranges: tokens on the global thresholds through their
   * partial index on the expiry, then one count per distinct list of a token's own thresholds (there are few).
   */
  countByState(now: DateTime, zone: string, globalThresholds: readonly number[]): StateCounts {
    const counts: StateCounts = { ok: 0, warning: 0, critical: 0, expired: 0 };
    const add = (row: StateCounts): void => {
      for (const state of ['ok', 'warning', 'critical', 'expired'] as const) counts[state] += row[state];
    };
    const params = (list: readonly number[]) => {
      const bounds = stateBoundaries(now, zone, list);
      return { now: now.toMillis(), critical: bounds.criticalBefore.toMillis(), warning: bounds.warningBefore.toMillis() };
    };
    // Range counts on the index tokens_global_due (expires_at WHERE thresholds IS NULL).
    const global = this.sql(
      `SELECT (SELECT count(*) FROM tokens WHERE thresholds IS NULL AND expires_at <= @now) AS expired,
              (SELECT count(*) FROM tokens WHERE thresholds IS NULL AND expires_at > @now AND expires_at < max(@critical, @now + 1)) AS critical,
              (SELECT count(*) FROM tokens WHERE thresholds IS NULL AND expires_at >= max(@critical, @now + 1) AND expires_at < max(@warning, @now + 1)) AS warning,
              (SELECT count(*) FROM tokens WHERE thresholds IS NULL AND expires_at >= max(@warning, @now + 1)) AS ok`,
    );
    add(global.get(params(globalThresholds)) as StateCounts);
    const own = this.sql(
      `SELECT coalesce(sum(expires_at <= @now), 0) AS expired,
              coalesce(sum(expires_at > @now AND expires_at < @critical), 0) AS critical,
              coalesce(sum(expires_at >= @critical AND expires_at > @now AND expires_at < @warning), 0) AS warning,
              coalesce(sum(expires_at >= @warning AND expires_at > @now), 0) AS ok
       FROM tokens WHERE thresholds = @thresholds`,
    );
    const lists = this.sql('SELECT DISTINCT thresholds FROM tokens WHERE thresholds IS NOT NULL').all() as { thresholds: string }[];
    for (const { thresholds } of lists) add(own.get({ ...params(JSON.parse(thresholds) as number[]), thresholds }) as StateCounts);
    return counts;
  }

  /**
   * The `limit` tokens that expire soonest (expired ones first): those on the global thresholds read in index order,
   * merged with those that have their own thresholds (usually few).
   */
  soonestTokens(limit: number): TokenSummary[] {
    const columns = 'id, name, kind, expires_at, thresholds, muted_at, muted_until';
    const global = this.sql(`SELECT ${columns} FROM tokens WHERE thresholds IS NULL ORDER BY expires_at, name LIMIT ?`).all(limit) as SummaryRow[];
    const own = this.sql(`SELECT ${columns} FROM tokens WHERE thresholds IS NOT NULL ORDER BY expires_at, name LIMIT ?`).all(limit) as SummaryRow[];
    const rows = [...global, ...own].sort((a, b) => a.expires_at - b.expires_at || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return rows.slice(0, limit).map(toSummary);
  }

  /**
   * One page of tokens, soonest expiry first (expired ones first), and how many there are in all: every token, or
   * with `search` only those whose name contains it (case-insensitive for ASCII letters, as SQLite's LIKE).
   */
  tokensPage(offset: number, limit: number, search: string | null): { tokens: TokenSummary[]; total: number } {
    if (search === null || search === '') {
      return { tokens: this.soonestTokens(offset + limit).slice(offset), total: this.tokenCount() };
    }
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.sql(
      `SELECT id, name, kind, expires_at, thresholds, muted_at, muted_until FROM tokens WHERE name LIKE ? ESCAPE '\\'
       ORDER BY expires_at, name LIMIT ? OFFSET ?`,
    ).all(pattern, limit, offset) as SummaryRow[];
    const total = (this.sql(`SELECT count(*) AS n FROM tokens WHERE name LIKE ? ESCAPE '\\'`).get(pattern) as { n: number }).n;
    return { tokens: rows.map(toSummary), total };
  }

  /** Outbox rows per channel and status. */
  deliveriesByChannel(): ChannelDeliveries[] {
    return this.sql(
      `SELECT channel,
              sum(status = 'sent') AS sent,
              sum(status = 'failed') AS failed,
              sum(status = 'pending') AS pending,
              sum(status = 'pending' AND attempts > 0) AS retrying
       FROM outbox GROUP BY channel ORDER BY channel`,
    ).all() as ChannelDeliveries[];
  }

  /** When the oldest delivery still pending was queued, or null when the outbox is empty. */
  oldestPendingAt(): DateTime | null {
    const row = this.sql(`SELECT min(created_at) AS at FROM outbox WHERE status = 'pending'`).get() as { at: number | null };
    return row.at === null ? null : instant(row.at);
  }

  /** Alerts decided (queued or skipped) for each token's current expiry. */
  decidedAlerts(tokens: readonly TokenSummary[]): Map<number, Set<AlertKey>> {
    return this.decisions.decidedForEach(tokens);
  }

  /** The last delivery sent for each token (any expiry), by token id; one indexed lookup per token. */
  lastSent(tokens: readonly TokenSummary[]): Map<number, DeliverySummary> {
    const select = this.sql(
      `SELECT * FROM outbox WHERE token_id = ? AND status = 'sent' ORDER BY id DESC LIMIT 1`,
    );
    const result = new Map<number, DeliverySummary>();
    for (const token of tokens) {
      const row = select.get(token.id) as OutboxSummaryRow | undefined;
      if (row !== undefined) result.set(token.id, toDelivery(row));
    }
    return result;
  }

  /** The most recently queued deliveries that were sent or failed for good, newest first (walks the rowid backwards). */
  recentDeliveries(limit: number): DeliverySummary[] {
    const rows = this.sql(
      `SELECT * FROM outbox WHERE status IN ('sent', 'failed') ORDER BY id DESC LIMIT ?`,
    ).all(limit) as OutboxSummaryRow[];
    return rows.map(toDelivery);
  }
}

interface SummaryRow {
  id: number;
  name: string;
  kind: TokenKind;
  expires_at: number;
  thresholds: string | null;
  muted_at: number | null;
  muted_until: number | null;
}

interface OutboxSummaryRow {
  token_id: number;
  token_name: string;
  alert: string;
  channel: string;
  recipient: string;
  status: OutboxStatus;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
}

function toSummary(row: SummaryRow): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    expiresAt: instant(row.expires_at),
    thresholds: row.thresholds === null ? null : (JSON.parse(row.thresholds) as number[]),
    mutedAt: row.muted_at === null ? null : instant(row.muted_at),
    mutedUntil: row.muted_until === null ? null : instant(row.muted_until),
  };
}

function toDelivery(row: OutboxSummaryRow): DeliverySummary {
  return {
    tokenId: row.token_id,
    tokenName: row.token_name,
    alert: row.alert,
    channel: row.channel,
    recipient: row.recipient,
    status: row.status,
    at: instant(row.sent_at ?? row.created_at),
    lastError: row.last_error,
  };
}

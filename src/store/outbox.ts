// The durable outbox (the delivery queue): owns the table outbox, one row per channel and recipient, written before
// anything is sent. INSERT … ON CONFLICT DO NOTHING on the key (token, expiry, alert, channel, recipient) makes
// send-once a database fact. Recording a reminder decides it through the send-once ledger's owner and queues its
// deliveries here, in one transaction; a digest is recorded through the digest log's owner.
import type { DateTime } from 'luxon';
import type { Statement } from 'better-sqlite3';
import type { Reminder, RenderedReminder } from '../domain/reminder';
import { alertKey, type Alert, type AlertKey } from '../domain/alert';
import { CHANNEL_NAMES, NO_RECIPIENT_ERROR, UNROUTED } from '../domain/channel-name';
import type { QueuedReminder, TokenPlan } from '../domain/plan-token';
import type { Route } from '../domain/routing';
import type { Token } from '../domain/token';
import type { Db } from './database';
import { DecisionLedger } from './decision-ledger';
import { DigestLog } from './digest-log';
import { isDeadLocalHolder, isLiveLocalHolder } from './lease';
import { instant, Repository, immediateTransaction } from './repository';

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface OutboxEntry {
  readonly id: number;
  readonly tokenId: number;
  readonly tokenName: string;
  readonly expiresAt: DateTime;
  readonly alert: AlertKey;
  readonly channel: string;
  readonly recipient: string;
  readonly subject: string;
  /**
   * The message as rendered when it was queued; null when only its facts are stored (every reminder a scan queues:
   * it is rendered when it is sent). Rows queued before facts existed have only this.
   */
  readonly message: RenderedReminder | null;
  /** The facts the message is rendered from; null for rows queued before digests existed. */
  readonly reminder: Reminder | null;
  /** The digest that last carried (or tried to carry) this reminder; null when it went on its own. */
  readonly digestId: number | null;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: DateTime;
  readonly lastError: string | null;
  readonly createdAt: DateTime;
  readonly sentAt: DateTime | null;
}

/** Who claims outbox rows: the lease holder, under the generation it took, for as long as its lease runs. */
export interface Claimant {
  /** The lease row the claimant must hold (SENDING_LEASE). */
  readonly lease: string;
  readonly holder: string;
  readonly generation: number;
  /** Until when the claim stands if the claimant vanishes without recording the attempt (its lease's expiry). */
  readonly until: DateTime;
}

/** A row to claim, with the attempts it had when it was read: a row tried by another process since is not claimed. */
export interface ClaimRequest {
  readonly id: number;
  readonly attempts: number;
}

/** What a claim got: the lease was lost (claim nothing, send nothing), or the ids now claimed (maybe fewer than asked). */
export type ClaimResult = { readonly isLeaseHeld: false } | { readonly isLeaseHeld: true; readonly claimed: readonly number[] };

/**
 * An alert that is not a reminder (a source's "invalid before its date", "cannot read", "recovered"). It travels like a
 * QueuedReminder (its Alert, subject and routes; with no route at all it is recorded UNROUTED, for `retry`), but is
 * rendered when it is recorded: sources' alerts are rare and carry no reminder facts.
 */
export interface QueuedMessage {
  /** The token it is about; an alert about a source uses SOURCE_ALERT_TOKEN_ID and its failure run's start as expiry. */
  readonly token: Pick<Token, 'id' | 'name' | 'expiresAt'>;
  readonly alert: Alert;
  readonly subject: string;
  readonly routes: readonly Route[];
  readonly message: RenderedReminder;
}

/** The columns every delivery row of one queued alert shares. */
interface QueuedRow {
  readonly tokenId: number;
  readonly tokenName: string;
  readonly expiresAt: number;
  readonly alert: AlertKey;
  readonly subject: string;
  readonly payload: string;
  readonly facts: string | null;
  readonly nextAttemptAt: number;
}

interface OutboxRow {
  id: number;
  token_id: number;
  token_name: string;
  expires_at: number;
  alert: string;
  channel: string;
  recipient: string;
  subject: string;
  payload: string;
  facts: string | null;
  digest_id: number | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** Whether a row's claim (if any) lets another claimant take it at `nowMs`; see Outbox.claim. */
function isClaimFree(claimedBy: string | null, claimedUntil: number | null, nowMs: number): boolean {
  if (claimedUntil === null || claimedBy === null) return true;
  if (isDeadLocalHolder(claimedBy)) return true;
  return claimedUntil <= nowMs && !isLiveLocalHolder(claimedBy);
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    tokenId: row.token_id,
    tokenName: row.token_name,
    expiresAt: instant(row.expires_at),
    alert: row.alert,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    message: row.payload === '' ? null : (JSON.parse(row.payload) as RenderedReminder),
    reminder: row.facts === null ? null : parseFacts(row.facts),
    digestId: row.digest_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: instant(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: instant(row.created_at),
    sentAt: row.sent_at === null ? null : instant(row.sent_at),
  };
}

/** A reminder as stored in the `facts` column: the expiry as epoch milliseconds. */
function factsJson(reminder: Reminder): string {
  return JSON.stringify({ ...reminder, token: { ...reminder.token, expiresAt: reminder.token.expiresAt.toMillis() } });
}

function parseFacts(json: string): Reminder {
  const stored = JSON.parse(json) as Omit<Reminder, 'token'> & { token: Omit<Reminder['token'], 'expiresAt'> & { expiresAt: number } };
  return { ...stored, token: { ...stored.token, expiresAt: instant(stored.token.expiresAt) } };
}

export class Outbox extends Repository {
  private readonly decisions: DecisionLedger;
  private readonly digests: DigestLog;

  constructor(db: Db) {
    super(db);
    this.decisions = new DecisionLedger(db);
    this.digests = new DigestLog(db);
  }

  /**
   * Runs `work` in one write transaction (BEGIN IMMEDIATE), so that a scan commits many decisions at once; each
   * `record` inside it becomes a savepoint, so one failed record is rolled back alone.
   */
  inTransaction<T>(work: () => T): T {
    return immediateTransaction(this.db, work);
  }

  /** Alerts already decided (queued or skipped) for a token's expiry cycle. */
  decidedAlerts(tokenId: number, expiresAt: DateTime): Set<AlertKey> {
    return this.decisions.decided(tokenId, expiresAt);
  }

  /**
   * Records a token's plan in one transaction: its skipped alerts, then each alert it queues with one delivery per
   * route (a reminder with no route at all gets one failed row on the UNROUTED pseudo-channel, for `retry`). Returns
   * the reminders actually queued: one another process already decided is left alone (nothing is written twice).
   */
  record(plan: TokenPlan, now: DateTime): QueuedReminder[] {
    const enqueue = this.enqueueStatement();
    const nowMs = now.toMillis();
    const { token } = plan;
    const expiresAt = token.expiresAt.toMillis();
    return this.db
      .transaction(() => {
        for (const alert of plan.skip) this.decisions.decide(token.id, token.expiresAt, alertKey(alert), 'skipped', now);
        // A reminder decided while only previews were written: its deliveries on the real channels, each once.
        const afterPreview = plan.afterPreview.filter((queued) => {
          // No recipient on the real channels either: nothing to hand over (a scan's own reminder would be unrouted).
          if (queued.routes.length === 0) return false;
          const row = {
            tokenId: token.id,
            tokenName: token.name,
            expiresAt,
            alert: alertKey(queued.alert),
            subject: queued.subject,
            payload: '',
            facts: factsJson(queued.reminder),
            nextAttemptAt: queued.notBefore.toMillis(),
          };
          return this.enqueueRoutes(enqueue, row, queued.routes, nowMs) > 0;
        });
        const queuedNow = plan.queue.filter((queued) => {
          const alert = alertKey(queued.alert);
          const isNew = this.decisions.decide(token.id, token.expiresAt, alert, 'queued', now);
          if (!isNew) return false;
          this.enqueueRoutes(
            enqueue,
            {
              tokenId: token.id,
              tokenName: token.name,
              expiresAt,
              alert,
              subject: queued.subject,
              // Only the facts: the message is rendered when it is sent (a scan writes thousands of these).
              payload: '',
              facts: factsJson(queued.reminder),
              nextAttemptAt: queued.notBefore.toMillis(),
            },
            queued.routes,
            nowMs,
          );
          return true;
        });
        return [...queuedNow, ...afterPreview];
      })
      .immediate();
  }

  /**
   * Records an alert that is not a reminder (a source's), already rendered: its decision and one delivery per route in
   * one transaction, send-once by the same keys as reminders. Returns false when it was decided before (nothing is
   * written twice).
   */
  recordMessage(queued: QueuedMessage, now: DateTime): boolean {
    const enqueue = this.enqueueStatement();
    const nowMs = now.toMillis();
    const { token } = queued;
    const alert = alertKey(queued.alert);
    return this.db
      .transaction(() => {
        const isNew = this.decisions.decide(token.id, token.expiresAt, alert, 'queued', now);
        if (!isNew) return false;
        const row = {
          tokenId: token.id,
          tokenName: token.name,
          expiresAt: token.expiresAt.toMillis(),
          alert,
          subject: queued.subject,
          payload: JSON.stringify(queued.message),
          facts: null,
          nextAttemptAt: nowMs,
        };
        this.enqueueRoutes(enqueue, row, queued.routes, nowMs);
        return true;
      })
      .immediate();
  }

  /**
   * One row per route, pending; with no route, one failed row on the UNROUTED pseudo-channel, which `retry` routes.
   * Returns how many rows were new (a row whose key is there already is left alone).
   */
  private enqueueRoutes(enqueue: Statement, row: QueuedRow, routes: readonly Route[], nowMs: number): number {
    const isRouted = routes.length > 0;
    let inserted = 0;
    for (const delivery of isRouted ? routes : [UNROUTED]) {
      inserted += enqueue.run({
        ...row,
        channel: delivery.channel,
        recipient: delivery.recipient,
        status: isRouted ? 'pending' : 'failed',
        error: isRouted ? null : NO_RECIPIENT_ERROR,
        now: nowMs,
      }).changes;
    }
    return inserted;
  }

  /**
   * The alerts decided for a token's expiry whose deliveries all went to the preview folder (a preview never counts as
   * delivered to a channel configured later). Reads the outbox's unique key, whose index starts with these columns.
   */
  previewedOnlyAlerts(tokenId: number, expiresAt: DateTime): Set<AlertKey> {
    const rows = this.sql(
      `SELECT alert FROM outbox WHERE token_id = ? AND expires_at = ? GROUP BY alert HAVING min(channel = 'preview') = 1`,
    ).all(tokenId, expiresAt.toMillis()) as { alert: string }[];
    return new Set(rows.map((row) => row.alert));
  }

  /** Whether an alert was decided for a token's expiry cycle (or, for source alerts, a failure run). */
  isDecided(tokenId: number, expiresAt: DateTime, alert: AlertKey): boolean {
    return this.decisions.isDecided(tokenId, expiresAt, alert);
  }

  /** Inserts one delivery row unless its key (token, expiry, alert, channel, recipient) is already there. */
  private enqueueStatement(): Statement {
    return this.sql(
      `INSERT INTO outbox (token_id, token_name, expires_at, alert, channel, recipient, subject, payload, facts, status,
                           next_attempt_at, last_error, created_at)
       VALUES (@tokenId, @tokenName, @expiresAt, @alert, @channel, @recipient, @subject, @payload, @facts, @status,
               @nextAttemptAt, @error, @now)
       ON CONFLICT DO NOTHING`,
    );
  }

  /** Pending deliveries whose next attempt has come, oldest first, leaving out the channels in `exceptChannels`. */
  due(now: DateTime, limit = 1000, exceptChannels: readonly string[] = []): OutboxEntry[] {
    const except = exceptChannels.length === 0 ? '' : ` AND channel NOT IN (${exceptChannels.map(() => '?').join(', ')})`;
    const rows = this.sql(
      `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?${except} ORDER BY next_attempt_at, id LIMIT ?`,
    ).all(now.toMillis(), ...exceptChannels, limit) as OutboxRow[];
    return rows.map(toEntry);
  }

  /** How many pending deliveries are due at `now`. */
  countDue(now: DateTime): number {
    return (this.sql(`SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?`).get(now.toMillis()) as { n: number }).n;
  }

  /** When the next pending delivery is to be tried, or null when none is pending. */
  nextAttemptAt(): DateTime | null {
    const row = this.sql(`SELECT min(next_attempt_at) AS at FROM outbox WHERE status = 'pending'`).get() as { at: number | null };
    return row.at === null ? null : instant(row.at);
  }

  countPending(): number {
    return (this.sql(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`).get() as { n: number }).n;
  }

  /**
   * Claims rows for one message just before it is sent, in one IMMEDIATE transaction: nothing when `claimant` no longer
   * holds the lease (another process took it: a later generation), else every row that is still pending, was not tried
   * since it was read, and is not claimed by someone else. A claim ends when the attempt is recorded; one left behind
   * stands until its `until` has passed, except that a dead process on this host frees it at once and a live (perhaps
   * paused) one on this host keeps it: it may still be waiting for the server's answer to that very message.
   */
  claim(rows: readonly ClaimRequest[], claimant: Claimant, now: DateTime): ClaimResult {
    const nowMs = now.toMillis();
    const read = this.sql(`SELECT status, attempts, claimed_by, claimed_until FROM outbox WHERE id = ?`);
    const take = this.sql(`UPDATE outbox SET claimed_by = ?, claim_generation = ?, claimed_until = ? WHERE id = ? AND status = 'pending'`);
    return immediateTransaction(this.db, (): ClaimResult => {
      const lease = this.sql(`SELECT holder, generation, expires_at FROM lease WHERE name = ?`).get(claimant.lease) as
        | { holder: string; generation: number; expires_at: number }
        | undefined;
      if (lease === undefined || lease.holder !== claimant.holder || lease.generation !== claimant.generation || lease.expires_at <= nowMs) {
        return { isLeaseHeld: false };
      }
      const claimed: number[] = [];
      for (const request of rows) {
        const row = read.get(request.id) as
          | { status: OutboxStatus; attempts: number; claimed_by: string | null; claimed_until: number | null }
          | undefined;
        if (row === undefined || row.status !== 'pending' || row.attempts !== request.attempts) continue;
        if (!isClaimFree(row.claimed_by, row.claimed_until, nowMs)) continue;
        take.run(claimant.holder, claimant.generation, claimant.until.toMillis(), request.id);
        claimed.push(request.id);
      }
      return { isLeaseHeld: true, claimed };
    });
  }

  /**
   * Records that the row went out at `now` and ends its claim; `subject`, when given, is the subject as sent (shown by
   * `history`). Only a pending row changes (a cancelled one stays cancelled).
   */
  markSent(id: number, now: DateTime, subject?: string): void {
    if (subject === undefined) {
      this.sql(
        `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, claimed_until = NULL WHERE id = ? AND status = 'pending'`,
      ).run(now.toMillis(), id);
      return;
    }
    this.sql(
      `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, subject = ?, last_error = NULL, claimed_until = NULL WHERE id = ? AND status = 'pending'`,
    ).run(now.toMillis(), subject, id);
  }

  /** Records a failed attempt: tried again at `retryAt`, or never when `retryAt` is null (a permanent failure). */
  markFailed(id: number, error: string, retryAt: DateTime | null): void {
    if (retryAt === null) {
      this.sql(
        `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, claimed_until = NULL WHERE id = ? AND status = 'pending'`,
      ).run(error, id);
    } else {
      this.sql(
        `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ? AND status = 'pending'`,
      ).run(retryAt.toMillis(), error, id);
    }
  }

  /**
   * Starts a digest: records it and links its reminders to it, in one transaction, before anything is sent.
   * Returns the digest's id.
   */
  startDigest(channel: string, recipient: string, ids: readonly number[], now: DateTime): number {
    const link = this.sql(`UPDATE outbox SET digest_id = ? WHERE id = ?`);
    return this.db
      .transaction(() => {
        const digestId = this.digests.start(channel, recipient, ids.length, now);
        for (const id of ids) link.run(digestId, id);
        return digestId;
      })
      .immediate();
  }

  /** Marks every reminder of a digest sent, together (one transaction). */
  markAllSent(ids: readonly number[], now: DateTime, subject?: string): void {
    // One row is one statement, atomic on its own: no transaction to open around it.
    if (ids.length === 1) return this.markSent(ids[0] as number, now, subject);
    this.db.transaction(() => {
      for (const id of ids) this.markSent(id, now, subject);
    })();
  }

  /** Records a failed attempt for every reminder of a digest, together, with the same retry time. */
  markAllFailed(ids: readonly number[], error: string, retryAt: DateTime | null): void {
    if (ids.length === 1) return this.markFailed(ids[0] as number, error, retryAt);
    this.db.transaction(() => {
      for (const id of ids) this.markFailed(id, error, retryAt);
    })();
  }

  /** What was sent, queued or failed, newest first; for one token (by the name it had) or all. */
  history(tokenName?: string, limit = 200): OutboxEntry[] {
    const rows = (
      tokenName === undefined
        ? this.sql('SELECT * FROM outbox ORDER BY id DESC LIMIT ?').all(limit)
        : this.sql('SELECT * FROM outbox WHERE token_name = ? ORDER BY id DESC LIMIT ?').all(tokenName, limit)
    ) as OutboxRow[];
    return rows.map(toEntry);
  }

  /**
   * Puts deliveries that failed for good back in the queue, due at `now` with a fresh attempt count, once the
   * administrator has fixed the cause. Only rows for a real channel: a reminder that had no recipient at all is not
   * resent. Returns how many were requeued.
   */
  requeueFailed(now: DateTime, tokenName?: string): number {
    const where = `status = 'failed' AND channel IN (${CHANNEL_NAMES.map(() => '?').join(', ')})`;
    const sql = `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE ${where}`;
    const result =
      tokenName === undefined
        ? this.sql(sql).run(now.toMillis(), ...CHANNEL_NAMES)
        : this.sql(`${sql} AND token_name = ?`).run(now.toMillis(), ...CHANNEL_NAMES, tokenName);
    return result.changes;
  }

  /** Reminders recorded with no recipient at all (the UNROUTED pseudo-channel), for `retry` to route once recipients are set. */
  unroutedFailures(tokenName?: string): OutboxEntry[] {
    const sql = `SELECT * FROM outbox WHERE status = 'failed' AND channel = ?`;
    const rows = (
      tokenName === undefined ? this.sql(sql).all(UNROUTED.channel) : this.sql(`${sql} AND token_name = ?`).all(UNROUTED.channel, tokenName)
    ) as OutboxRow[];
    return rows.map(toEntry);
  }

  /**
   * Replaces an unrouted failure by one pending delivery per route, due at `now`, in one transaction; the old row is
   * kept as cancelled so `history` shows what happened. Returns how many deliveries were queued.
   */
  reroute(entry: OutboxEntry, routes: readonly { channel: string; recipient: string }[], now: DateTime): number {
    const enqueue = this.enqueueStatement();
    return this.db
      .transaction(() => {
        let queued = 0;
        for (const route of routes) {
          queued += enqueue.run({
            tokenId: entry.tokenId,
            tokenName: entry.tokenName,
            expiresAt: entry.expiresAt.toMillis(),
            alert: entry.alert,
            channel: route.channel,
            recipient: route.recipient,
            subject: entry.subject,
            payload: entry.message === null ? '' : JSON.stringify(entry.message),
            facts: entry.reminder === null ? null : factsJson(entry.reminder),
            status: 'pending',
            error: null,
            now: now.toMillis(),
            nextAttemptAt: now.toMillis(),
          }).changes;
        }
        this.cancelFailed(entry.id, `${entry.lastError ?? 'no recipient'} (routed again by tokenwatch retry)`);
        return queued;
      })
      .immediate();
  }

  /**
   * Cancels the pending deliveries of a token (removed, or renewed: then only those for another expiry than
   * `keepExpiresAt`), giving `reason` as their last error.
   */
  cancelPending(tokenId: number, reason: string, keepExpiresAt?: DateTime): void {
    if (keepExpiresAt === undefined) {
      this.sql(`UPDATE outbox SET status = 'cancelled', last_error = ? WHERE token_id = ? AND status = 'pending'`).run(reason, tokenId);
      return;
    }
    this.sql(`UPDATE outbox SET status = 'cancelled', last_error = ? WHERE token_id = ? AND status = 'pending' AND expires_at <> ?`).run(
      reason,
      tokenId,
      keepExpiresAt.toMillis(),
    );
  }

  /** Cancels a failed delivery that can no longer matter (its token was removed or renewed since). */
  cancelFailed(id: number, reason: string): void {
    this.sql(`UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ? AND status = 'failed'`).run(reason, id);
  }

  /** Deliveries that failed for good, newest first (for `doctor`). */
  permanentFailures(limit = 20): OutboxEntry[] {
    const rows = this.sql(`SELECT * FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT ?`).all(limit) as OutboxRow[];
    return rows.map(toEntry);
  }
}

// The send-once ledger: owns the table reminder_decisions, one row per (token, expiry, alert) decided, queued or
// skipped. Its primary key with ON CONFLICT DO NOTHING makes "decided once" a database fact.
import type { DateTime } from 'luxon';
import type { AlertKey } from '../domain/alert';
import type { Db } from './database';
import { Repository } from './repository';

export type DecisionStatus = 'queued' | 'skipped';

export class DecisionLedger extends Repository {
  constructor(db: Db) {
    super(db);
  }

  /** Alerts already decided (queued or skipped) for a token's expiry cycle. */
  decided(tokenId: number, expiresAt: DateTime): Set<AlertKey> {
    const rows = this.sql('SELECT alert FROM reminder_decisions WHERE token_id = ? AND expires_at = ?').all(
      tokenId,
      expiresAt.toMillis(),
    ) as { alert: string }[];
    return new Set(rows.map((row) => row.alert));
  }

  /** Whether an alert was decided for a token's expiry cycle (or, for source alerts, a failure run). */
  isDecided(tokenId: number, expiresAt: DateTime, alert: AlertKey): boolean {
    return this.sql('SELECT 1 FROM reminder_decisions WHERE token_id = ? AND expires_at = ? AND alert = ?').get(tokenId, expiresAt.toMillis(), alert) !== undefined;
  }

  /** Alerts decided for each token's current expiry, by token id. */
  decidedForEach(tokens: readonly { readonly id: number; readonly expiresAt: DateTime }[]): Map<number, Set<AlertKey>> {
    return new Map(tokens.map((token) => [token.id, this.decided(token.id, token.expiresAt)]));
  }

  /** Records one decision; false when it was already decided (by this or another process), and nothing is written. */
  decide(tokenId: number, expiresAt: DateTime, alert: AlertKey, status: DecisionStatus, now: DateTime): boolean {
    return (
      this.sql(
        `INSERT INTO reminder_decisions (token_id, expires_at, alert, status, decided_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(tokenId, expiresAt.toMillis(), alert, status, now.toMillis()).changes === 1
    );
  }
}

// What happened to each token: owns the table token_history (added, renewed, edited, removed, muted, unmuted), kept
// after a token is removed.
import type { DateTime } from 'luxon';
import type { Db } from './database';
import { instant, Repository } from './repository';

export type HistoryAction = 'added' | 'renewed' | 'edited' | 'removed' | 'muted' | 'unmuted';

export interface HistoryEntry {
  readonly tokenName: string;
  readonly action: HistoryAction;
  readonly at: DateTime;
  readonly details: Record<string, unknown>;
}

export class TokenHistory extends Repository {
  constructor(db: Db) {
    super(db);
  }

  /** Records one change of a token (called inside the transaction that makes the change). */
  record(token: { readonly id: number; readonly name: string }, action: HistoryAction, at: DateTime, details: Record<string, unknown>): void {
    this.sql('INSERT INTO token_history (token_id, token_name, action, at, details) VALUES (?, ?, ?, ?, ?)').run(
      token.id,
      token.name,
      action,
      at.toMillis(),
      JSON.stringify(details),
    );
  }

  /**
   * Records one change per row of `rowsSql`, a SELECT of (token_id, token_name, details) by the owner of the changed
   * rows, in id order: a bulk import's history in one statement. `params` are the SELECT's.
   */
  recordEach(action: HistoryAction, at: DateTime, rowsSql: string, ...params: readonly unknown[]): void {
    this
      .sql(
        `INSERT INTO token_history (token_id, token_name, action, at, details)
         SELECT token_id, token_name, ?, ?, details FROM (${rowsSql}) ORDER BY token_id`,
      )
      .run(action, at.toMillis(), ...params);
  }

  /** What happened to one token (by its current or former name), or to all, oldest first. */
  list(name?: string): HistoryEntry[] {
    const rows = (
      name === undefined
        ? this.sql('SELECT * FROM token_history ORDER BY id').all()
        : this
            .sql(
              `SELECT * FROM token_history WHERE token_id IN (SELECT token_id FROM token_history WHERE token_name = ?) ORDER BY id`,
            )
            .all(name)
    ) as { token_name: string; action: HistoryAction; at: number; details: string }[];
    return rows.map((row) => ({
      tokenName: row.token_name,
      action: row.action,
      at: instant(row.at),
      details: JSON.parse(row.details) as Record<string, unknown>,
    }));
  }

  /** The token-file fingerprints recorded in the token's history (when added, renewed, or before an edit). */
  fingerprints(tokenId: number): Set<string> {
    const rows = this
      .sql(
        `SELECT json_extract(details, '$.fingerprint') AS fingerprint FROM token_history WHERE token_id = @id
         UNION SELECT json_extract(details, '$.before.fingerprint') FROM token_history WHERE token_id = @id`,
      )
      .all({ id: tokenId }) as { fingerprint: unknown }[];
    return new Set(rows.flatMap((row) => (typeof row.fingerprint === 'string' ? [row.fingerprint] : [])));
  }
}

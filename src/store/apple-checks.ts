// Owns apple_checks: Apple's last answer to client/config per token file (by the file's SHA-256), so each token is
// asked at most once a day. Holds what was kept of the answer, never the token nor Apple's notificationAuthToken.
import { DateTime } from 'luxon';
import type { Db } from './database';
import { Repository } from './repository';

/** What tokenwatch keeps of Apple's answer. */
export interface AppleCheckAnswer {
  /** Apple's errorNumber for an error answer; null for a configuration. */
  readonly errorNumber: number | null;
  readonly errorMessage: string | null;
  readonly uId: string | null;
  readonly locationName: string | null;
  readonly countryCode: string | null;
  /** Apple's tokenExpirationDate as Apple wrote it; null when absent. */
  readonly tokenExpirationDate: string | null;
}

export interface AppleCheck {
  readonly checkedAt: DateTime;
  readonly answer: AppleCheckAnswer;
}

export class AppleChecks extends Repository {
  constructor(db: Db) {
    super(db);
  }

  get(fingerprint: string): AppleCheck | null {
    const row = this.sql('SELECT checked_at, answer FROM apple_checks WHERE fingerprint = ?').get(fingerprint) as
      | { checked_at: number; answer: string }
      | undefined;
    if (row === undefined) return null;
    return { checkedAt: DateTime.fromMillis(row.checked_at, { zone: 'utc' }), answer: JSON.parse(row.answer) as AppleCheckAnswer };
  }

  put(fingerprint: string, answer: AppleCheckAnswer, at: DateTime): void {
    this.sql(
      `INSERT INTO apple_checks (fingerprint, checked_at, answer) VALUES (?, ?, ?)
       ON CONFLICT (fingerprint) DO UPDATE SET checked_at = excluded.checked_at, answer = excluded.answer`,
    ).run(fingerprint, at.toMillis(), JSON.stringify(answer));
  }
}

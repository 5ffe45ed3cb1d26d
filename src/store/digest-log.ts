// The digests sent or being sent: owns the table digests (one row per message that carries several reminders).
import type { DateTime } from 'luxon';
import type { Db } from './database';
import { Repository } from './repository';

export class DigestLog extends Repository {
  constructor(db: Db) {
    super(db);
  }

  /** Records a digest of `reminders` reminders for one recipient; returns its id. */
  start(channel: string, recipient: string, reminders: number, now: DateTime): number {
    const result = this.sql(`INSERT INTO digests (channel, recipient, reminders, created_at) VALUES (?, ?, ?, ?)`).run(
      channel,
      recipient,
      reminders,
      now.toMillis(),
    );
    return Number(result.lastInsertRowid);
  }
}

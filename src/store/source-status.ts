// Owns source_status: per source, the last attempt and success and, while it fails, since when and why.
import { DateTime } from 'luxon';
import type { Db } from './database';
import { instant, Repository } from './repository';

export interface SourceStatus {
  readonly source: string;
  readonly lastAttemptAt: DateTime;
  readonly lastSuccessAt: DateTime | null;
  /** The first failure of the current run of failures; null while the source works. */
  readonly failingSince: DateTime | null;
  readonly lastError: string | null;
  /** Failed reads, ever. */
  readonly failures: number;
}

interface StatusRow {
  source: string;
  last_attempt_at: number;
  last_success_at: number | null;
  failing_since: number | null;
  last_error: string | null;
  failures: number;
}


function toStatus(row: StatusRow): SourceStatus {
  return {
    source: row.source,
    lastAttemptAt: instant(row.last_attempt_at),
    lastSuccessAt: row.last_success_at === null ? null : instant(row.last_success_at),
    failingSince: row.failing_since === null ? null : instant(row.failing_since),
    lastError: row.last_error,
    failures: row.failures,
  };
}

export class SourceStatusStore extends Repository {
  constructor(db: Db) {
    super(db);
  }

  get(source: string): SourceStatus | null {
    const row = this.sql('SELECT * FROM source_status WHERE source = ?').get(source) as StatusRow | undefined;
    return row === undefined ? null : toStatus(row);
  }

  all(): SourceStatus[] {
    return (this.sql('SELECT * FROM source_status ORDER BY source').all() as StatusRow[]).map(toStatus);
  }

  /** A read that worked: the failure run, if any, is over. */
  recordSuccess(source: string, now: DateTime): void {
    this.sql(
      `INSERT INTO source_status (source, last_attempt_at, last_success_at) VALUES (@source, @now, @now)
       ON CONFLICT (source) DO UPDATE SET last_attempt_at = @now, last_success_at = @now, failing_since = NULL, last_error = NULL`,
    ).run({ source, now: now.toMillis() });
  }

  /** A read that failed: the run of failures starts now unless it already had. */
  recordFailure(source: string, error: string, now: DateTime): SourceStatus {
    this.sql(
      `INSERT INTO source_status (source, last_attempt_at, failing_since, last_error, failures) VALUES (@source, @now, @now, @error, 1)
       ON CONFLICT (source) DO UPDATE SET last_attempt_at = @now, failing_since = coalesce(failing_since, @now),
         last_error = @error, failures = failures + 1`,
    ).run({ source, now: now.toMillis(), error });
    return this.get(source) as SourceStatus;
  }
}

// The small base of every table owner in store/: prepared statements cached per connection (scans and bulk imports
// run the same few statements thousands of times) and the conversion of stored epoch milliseconds to instants.
import { DateTime } from 'luxon';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** An instant stored as epoch milliseconds, read back in UTC. */
export const instant = (ms: number): DateTime => DateTime.fromMillis(ms, { zone: 'utc' });

export abstract class Repository {
  private readonly statements = new Map<string, Statement>();

  protected constructor(protected readonly db: Db) {}

  /** Prepares each SQL text once per connection. */
  protected sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

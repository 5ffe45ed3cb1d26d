// The small base of every table owner in store/: prepared statements cached per connection (scans and bulk imports
// run the same few statements thousands of times) and the conversion of stored epoch milliseconds to instants.
import { DateTime } from 'luxon';
import type { Statement, Transaction } from 'better-sqlite3';
import type { Db } from './database';

type Work = (work: () => unknown) => unknown;
/**
 * One transaction wrapper per connection, reused: better-sqlite3's transaction() builds four wrapper functions each
 * time it is called, which a delivery pass (one transaction per message) felt.
 */
const transactions = new WeakMap<Db, Transaction<Work>>();

/** Runs `work` in a write transaction on `db` (BEGIN IMMEDIATE, or a savepoint inside an open one). */
export function immediateTransaction<T>(db: Db, work: () => T): T {
  let run = transactions.get(db);
  if (run === undefined) {
    run = db.transaction((inner: () => unknown) => inner());
    transactions.set(db, run);
  }
  return run.immediate(work) as T;
}

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

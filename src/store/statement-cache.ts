// Prepared statements, each SQL text prepared once per connection: scans and bulk imports run the same few
// statements thousands of times.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  prepare(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

// Opens the SQLite registry: creates the file (owner-only) and its folder on first use, WAL mode, migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
}

export interface OpenOptions {
  /** Open without creating or migrating (for read-only checks). */
  readonly isReadOnly?: boolean;
  /** How long to wait for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
  readonly migrations?: readonly Migration[];
}

/** Explains an SQLite or file-system failure in one line naming the database file. */
export function describeOpenFailure(file: string, error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EROFS' || code === 'SQLITE_READONLY' || /read-?only/i.test(message)) {
    return `database ${file}: the file system is read-only (expected a writable folder; set TOKENWATCH_DB)`;
  }
  if (code === 'SQLITE_BUSY' || /locked|busy/i.test(message)) {
    return `database ${file}: locked by another process (expected it to finish; try again)`;
  }
  if (code === 'ENOTDIR' || code === 'ENOENT' || code === 'EEXIST') {
    return `database ${file}: its folder cannot be created (${code}; expected TOKENWATCH_DB in a folder that exists or can be created)`;
  }
  if (code === 'EACCES' || code === 'SQLITE_CANTOPEN' || code === 'EPERM') {
    return `database ${file}: cannot open (${code || message}; expected a readable and writable file)`;
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return `database ${file}: not a tokenwatch database or damaged (${code})`;
  }
  return `database ${file}: ${message.split('\n')[0]}`;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  let db: Db;
  try {
    if (!options.isReadOnly) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Create the file owner-only before SQLite does; its -wal and -shm files take the same mode.
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
    }
    db = new Database(file, { readonly: options.isReadOnly ?? false, fileMustExist: options.isReadOnly ?? false });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.isReadOnly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw new DatabaseError(describeOpenFailure(file, error), { cause: error });
  }
  try {
    if (!options.isReadOnly) migrate(db, migrations);
    else checkVersion(db, migrations);
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    throw new DatabaseError(describeOpenFailure(file, error), { cause: error });
  }
  return db;
}

function latest(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function checkVersion(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest(migrations)) {
    throw new InputError(
      `database ${db.name}: schema version ${current} is newer than this tokenwatch knows (${latest(migrations)}); upgrade tokenwatch`,
    );
  }
  return current;
}

/** Applies, in one transaction each, every migration newer than the database. Forward only. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = checkVersion(db, migrations);
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

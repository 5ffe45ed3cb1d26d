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

/**
 * better-sqlite3's compiled addon where installing puts it (build/Release, compiled or downloaded), named directly.
 * Without it better-sqlite3 asks the `bindings` package, which reads a stack trace to find the package and tries paths
 * by `require` until one loads (two failures first for an installed package): about a millisecond of every command.
 * Null when the addon is not there (a debug build): bindings' own search then, as before.
 */
let sqliteAddon: string | null | undefined;

function nativeBinding(): { nativeBinding?: string } {
  if (sqliteAddon === undefined) {
    const candidate = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    sqliteAddon = fs.existsSync(candidate) ? candidate : null;
  }
  return sqliteAddon === null ? {} : { nativeBinding: sqliteAddon };
}

/** PRAGMA application_id of a tokenwatch registry ("TKWT"): marks the file as ours (https://www.sqlite.org/fileformat.html#application_id). */
export const APPLICATION_ID = 0x544b5754;


export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  let db: Db;
  try {
    if (!options.isReadOnly) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Create the file owner-only before SQLite does; its -wal and -shm files take the same mode.
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
    }
    db = new Database(file, { readonly: options.isReadOnly ?? false, fileMustExist: options.isReadOnly ?? false, ...nativeBinding() });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  } catch (error) {
    throw new DatabaseError(describeOpenFailure(file, error), { cause: error });
  }
  try {
    // Before anything could write to it: a file that is not ours is refused untouched.
    const isMarked = checkIsOurs(db, file);
    if (!options.isReadOnly) {
      tightenModes(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.isReadOnly) {
      migrate(db, migrations);
      if (!isMarked) db.pragma(`application_id = ${APPLICATION_ID}`);
    } else checkVersion(db, migrations);
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    throw new DatabaseError(describeOpenFailure(file, error), { cause: error });
  }
  return db;
}

/**
 * Whether the file is marked as a tokenwatch registry; false for a new (empty) file or an older registry, which are
 * ours to mark. Throws InputError for any other database, naming what it holds.
 */
function checkIsOurs(db: Db, file: string): boolean {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId === APPLICATION_ID) return true;
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (row) => row.name,
  );
  const version = db.pragma('user_version', { simple: true }) as number;
  const isEmpty = tables.length === 0 && version === 0;
  // Registries created before the mark: a schema version and tokenwatch's own core tables.
  const isOlderRegistry = version > 0 && tables.includes('tokens') && tables.includes('outbox') && tables.includes('reminder_decisions');
  if (applicationId === 0 && (isEmpty || isOlderRegistry)) return false;
  const holds = tables.length === 0 ? 'no tables' : `tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}`;
  throw new InputError(
    `database ${file}: not a tokenwatch database (application_id ${applicationId}, ${holds}; expected a tokenwatch registry or a new file: check TOKENWATCH_DB)`,
  );
}

/** The registry and its -wal and -shm files are readable by their owner only, even when they were created otherwise. */
function tightenModes(file: string): void {
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    try {
      mode = fs.statSync(candidate).mode;
    } catch {
      continue;
    }
    if ((mode & 0o077) !== 0) fs.chmodSync(candidate, mode & 0o700);
  }
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

/**
 * A cheap health check of the registry on disk, through a fresh read-only connection (the daemon's own connection may
 * answer from its page cache): the schema version this build expects, and SQLite's `PRAGMA quick_check`
 * (https://www.sqlite.org/pragma.html#pragma_quick_check: the integrity check without index cross-checks). Returns
 * the problem in one line, or null when the file is sound.
 */
export function registryProblem(file: string, migrations: readonly Migration[] = MIGRATIONS): string | null {
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...nativeBinding() });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== latest(migrations)) return `database ${file}: schema version ${version} (expected ${latest(migrations)})`;
    const result = (db.pragma('quick_check(1)') as { quick_check: string }[])[0]?.quick_check ?? 'no answer';
    return result === 'ok' ? null : `database ${file}: damaged (quick_check: ${result.split('\n')[0] ?? result})`;
  } catch (error) {
    return describeOpenFailure(file, error);
  } finally {
    db?.close();
  }
}

// A consistent copy of the registry taken while other processes (the daemon) keep using it, through SQLite's online
// backup API (https://www.sqlite.org/backup.html: the source stays usable; a write by another connection restarts the
// copy, so what is copied is one consistent state). better-sqlite3 exposes it as `db.backup(destination)`, a promise
// for when it is complete; the copy "is just a regular SQLite3 database file"
// (https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#backupdestination-options---promise).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InputError, errorCode } from '../errors';
import type { Db } from './database';

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly tokens: number;
  readonly schemaVersion: number;
}

/**
 * Copies `db` to `file`, which must not exist yet (a backup never overwrites anything). The copy is written under a
 * temporary name, switched out of WAL mode so that it is one self-contained file, checked, and only then renamed:
 * a failed backup leaves no partial file behind.
 */
export async function backupDatabase(db: Db, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  if (target === path.resolve(db.name)) throw new InputError(`backup: ${file} is the database itself (expected another file)`);
  if (fs.existsSync(target)) throw new InputError(`backup: ${file} already exists (expected a new file; a backup never overwrites one)`);
  const dir = path.dirname(target);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`backup: folder ${dir} does not exist (expected an existing folder)`);
  }
  const partial = path.join(dir, `.${path.basename(target)}.partial-${process.pid}`);
  try {
    // Created owner-only first: the copy holds the same registry as the original.
    fs.closeSync(fs.openSync(partial, fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_WRONLY, 0o600));
    await db.backup(partial);
    const result = settle(partial);
    fs.renameSync(partial, target);
    return { ...result, file: target, bytes: fs.statSync(target).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    const code = errorCode(error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new InputError(`backup: cannot write ${file} (${code}; expected a writable folder)`);
    }
    throw error;
  }
}

/** Makes the copy a single rollback-journal file and checks it opens as a sound tokenwatch database. */
function settle(file: string): Omit<BackupResult, 'file' | 'bytes'> {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new Error(`backup: the copy failed its integrity check (${check})`);
    const tokens = (copy.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number }).n;
    const schemaVersion = copy.pragma('user_version', { simple: true }) as number;
    return { tokens, schemaVersion };
  } finally {
    copy.close();
  }
}

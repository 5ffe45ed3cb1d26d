import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, openDatabase, migrate } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrations';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('the registry database', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('is created on first use together with its missing parent folders', () => {
    const file = path.join(dir, 'a', 'b', 'tokenwatch.db');
    const db = openDatabase(file);
    db.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('is readable and writable by its owner only', () => {
    const file = path.join(dir, 'tokenwatch.db');
    openDatabase(file).close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('runs in WAL mode with every migration applied', () => {
    const db = openDatabase(path.join(dir, 'tokenwatch.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['tokens', 'token_history', 'outbox', 'reminder_decisions', 'lease']));
    db.close();
  });

  it('applies only the migrations newer than the file, once', () => {
    const file = path.join(dir, 'tokenwatch.db');
    const first = MIGRATIONS.filter((m) => m.version === 1);
    openDatabase(file, { migrations: first }).close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    migrate(db);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a database written by a newer tokenwatch, naming the versions', () => {
    const file = path.join(dir, 'tokenwatch.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/schema version 999 is newer than this tokenwatch knows/);
  });

  it('explains a file that is not a database in one line naming it', () => {
    const file = path.join(dir, 'tokenwatch.db');
    fs.writeFileSync(file, 'this is not sqlite'.repeat(100));
    expect(() => openDatabase(file)).toThrow(DatabaseError);
    expect(() => openDatabase(file)).toThrow(new RegExp(`database ${file}: `));
  });
});

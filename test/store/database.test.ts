// The registry database: creation, file mode, WAL and migrations, index use by the outbox queries, and one-line errors for bad files.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { APPLICATION_ID, DatabaseError, openDatabase, migrate } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrations';
import { TokenRepository } from '../../src/store/token-repository';
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

  it('upgrades a version 2 database with rows in it to digests and the failed-deliveries index, keeping its rows', () => {
    const file = path.join(dir, 'tokenwatch.db');
    const v2 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 2) });
    v2.prepare(
      `INSERT INTO outbox (token_id, token_name, expires_at, alert, channel, recipient, subject, payload, status, next_attempt_at, created_at)
       VALUES (1, 'Acme', 0, 't30', 'email', 'a@acme.test', 's', '{}', 'failed', 0, 0)`,
    ).run();
    v2.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('outbox')`).all() as { name: string }[]).map((r) => r.name);
    expect(columns).toEqual(expect.arrayContaining(['facts', 'digest_id']));
    expect(db.prepare(`SELECT facts, digest_id FROM outbox`).get()).toEqual({ facts: null, digest_id: null });
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toContain('outbox_failed');
    expect(db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`).get()).toEqual({ n: 1 });
    db.close();
  });

  it('upgrades a version 6 database: its tokens keep the Workspace ONE UEM steps they had and have no push topic', () => {
    const file = path.join(dir, 'tokenwatch.db');
    const v6 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 6) });
    v6.prepare(`INSERT INTO tokens (name, kind, expires_at, added_at, created_at, updated_at) VALUES ('Acme', 'vpp', 0, 0, 0, 0)`).run();
    v6.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.prepare(`SELECT mdm, topic FROM tokens`).get()).toEqual({ mdm: 'workspace-one', topic: null });
    expect(() => db.prepare(`UPDATE tokens SET mdm = 'airwatch'`).run()).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it("upgrades a database from before tokens' own console pages: its tokens keep linking to TOKENWATCH_CONSOLE_URL", () => {
    const file = path.join(dir, 'tokenwatch.db');
    const added = MIGRATIONS.find((m) => m.sql.includes('ADD COLUMN console_url'))?.version ?? 0;
    const before = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < added) });
    before.prepare(`INSERT INTO tokens (name, kind, expires_at, added_at, created_at, updated_at) VALUES ('Acme', 'vpp', 0, 0, 0, 0)`).run();
    before.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT name, console_url FROM tokens`).get()).toEqual({ name: 'Acme', console_url: null });
    db.close();
  });

  it("upgrades a database from before tokens' own Teams webhooks: its tokens keep going to the default webhook", () => {
    const file = path.join(dir, 'tokenwatch.db');
    const added = MIGRATIONS.find((m) => m.sql.includes('ADD COLUMN teams'))?.version ?? 0;
    const before = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < added) });
    before.prepare(`INSERT INTO tokens (name, kind, expires_at, added_at, created_at, updated_at) VALUES ('Acme', 'vpp', 0, 0, 0, 0)`).run();
    before.close();
    const db = openDatabase(file);
    expect(db.prepare(`SELECT name, teams FROM tokens`).get()).toEqual({ name: 'Acme', teams: null });
    expect(new TokenRepository(db).getByName('Acme').teams).toBeNull();
    db.close();
  });

  it('upgrades a database from before escalation contacts: its tokens keep the default contacts and Slack mentions', () => {
    const file = path.join(dir, 'tokenwatch.db');
    const added = MIGRATIONS.find((m) => m.sql.includes('ADD COLUMN escalate_email'))?.version ?? 0;
    const before = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < added) });
    before.prepare(`INSERT INTO tokens (name, kind, expires_at, added_at, created_at, updated_at, teams) VALUES ('Acme', 'vpp', 0, 0, 0, 0, 'ops')`).run();
    before.close();
    const db = openDatabase(file);
    expect(new TokenRepository(db).getByName('Acme')).toMatchObject({ teams: 'ops', escalateEmail: null, escalateSlack: null, escalateTeams: null, slackMentions: null });
    db.close();
  });

  it('answers the outbox queries of scans, the daemon, doctor and retry through indexes, not a scan of the whole outbox', () => {
    const db = openDatabase(path.join(dir, 'tokenwatch.db'));
    const queries = [
      `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= 0 ORDER BY next_attempt_at, id LIMIT 100`,
      `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= 0 AND channel NOT IN ('slack') ORDER BY next_attempt_at, id LIMIT 100`,
      `SELECT min(next_attempt_at) AS at FROM outbox WHERE status = 'pending'`,
      `SELECT * FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT 20`,
      `SELECT * FROM outbox WHERE status = 'failed' AND channel = 'none'`,
      `UPDATE outbox SET status = 'pending' WHERE status = 'failed' AND channel IN ('email', 'slack', 'preview')`,
      `SELECT alert FROM reminder_decisions WHERE token_id = 1 AND expires_at = 0`,
    ];
    for (const sql of queries) {
      const details = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('\n');
      expect({ sql, details }).toEqual({ sql, details: expect.not.stringMatching(/SCAN (outbox|reminder_decisions)(?! USING)/) });
    }
    db.close();
  });

  it('refuses a database written by a newer tokenwatch, naming the versions', () => {
    const file = path.join(dir, 'tokenwatch.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.pragma(`application_id = ${APPLICATION_ID}`);
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

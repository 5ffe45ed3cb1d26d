// `tokenwatch backup FILE` while the daemon runs: a consistent, self-contained copy that opens with TOKENWATCH_DB=FILE;
// and a database written by a newer tokenwatch, which this build refuses to open with one line.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations';
import { runTokenwatch, startTokenwatch } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('tokenwatch backup', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = makeTempDir();
    env = {
      TOKENWATCH_DB: path.join(dir, 'data', 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'data', 'preview'),
    };
  });
  afterEach(() => removeDir(dir));

  it('copies the registry while the daemon runs; the copy alone opens with TOKENWATCH_DB=FILE', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
    expect((await runTokenwatch(['add', '--name', 'Due soon', '--expires', soon], env, dir)).code).toBe(0);
    expect((await runTokenwatch(['add', '--name', 'Later', '--expires', '2099-01-01'], env, dir)).code).toBe(0);
    const daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_SCHEDULE: '*/1 * * * * *' }, dir);
    try {
      // The daemon has written its decisions (in its WAL) and keeps scanning every second while the copy is taken.
      await daemon.waitFor(/"event":"preview\.written"/);
      const file = path.join(dir, 'backups', 'tokenwatch-backup.db');
      fs.mkdirSync(path.dirname(file));
      const backup = await runTokenwatch(['backup', file], env, dir);
      expect(backup).toMatchObject({ code: 0, stderr: '' });
      expect(backup.stdout).toMatch(new RegExp(`^Backed up 2 tokens to ${file} \\(\\d+ KB, schema ${MIGRATIONS.length}\\)\\.`));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // Self-contained: moved on its own (no -wal or -shm beside it), it still holds the registry and the outbox.
      expect(fs.readdirSync(path.dirname(file))).toEqual(['tokenwatch-backup.db']);
      const moved = path.join(dir, 'restored', 'tokenwatch.db');
      fs.mkdirSync(path.dirname(moved));
      fs.copyFileSync(file, moved);
      const listed = await runTokenwatch(['list', '--json'], { ...env, TOKENWATCH_DB: moved }, dir);
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as { name: string }[]).map((t) => t.name)).toEqual(['Due soon', 'Later']);
      const history = await runTokenwatch(['history', '--json'], { ...env, TOKENWATCH_DB: moved }, dir);
      expect(JSON.parse(history.stdout)).toEqual([expect.objectContaining({ token: 'Due soon', channel: 'preview', status: 'sent' })]);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  }, 30_000);

  it('refuses to overwrite a file, or to write into a missing folder, with one line and exit 2', async () => {
    expect((await runTokenwatch(['add', '--name', 'Acme', '--expires', '2099-01-01'], env, dir)).code).toBe(0);
    const existing = path.join(dir, 'existing.db');
    fs.writeFileSync(existing, 'keep me');
    expect(await runTokenwatch(['backup', existing], env, dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `tokenwatch: backup: ${existing} already exists (expected a new file; a backup never overwrites one)\n`,
    });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
    const missing = path.join(dir, 'nowhere', 'copy.db');
    expect(await runTokenwatch(['backup', missing], env, dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `tokenwatch: backup: folder ${path.dirname(missing)} does not exist (expected an existing folder)\n`,
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['data', 'existing.db']);
  });
});

describe('a database written by a newer tokenwatch', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = makeTempDir();
    env = { TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'), TOKENWATCH_TZ: 'Europe/Paris', TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview') };
  });
  afterEach(() => removeDir(dir));

  it('is refused by this build with one line and exit 2, by commands and by the daemon, and left as it was', async () => {
    expect((await runTokenwatch(['add', '--name', 'Acme', '--expires', '2099-01-01'], env, dir)).code).toBe(0);
    const newer = MIGRATIONS.length + 1;
    const db = new Database(env['TOKENWATCH_DB']);
    db.pragma(`user_version = ${newer}`);
    db.close();
    const line = `tokenwatch: database ${env['TOKENWATCH_DB']}: schema version ${newer} is newer than this tokenwatch knows (${MIGRATIONS.length}); upgrade tokenwatch\n`;
    for (const args of [['list'], ['daemon'], ['backup', path.join(dir, 'copy.db')]]) {
      const run = await runTokenwatch(args, env, dir);
      expect(run.code).toBe(2);
      // The daemon logs its start (JSON lines) before it opens the database; the failure itself is one plain line.
      expect(run.stderr.split('\n').filter((text) => !text.startsWith('{'))).toEqual([line.trimEnd(), '']);
    }
    const after = new Database(env['TOKENWATCH_DB'], { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(newer);
    after.close();
  });
});

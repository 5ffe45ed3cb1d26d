// The registry in trouble: locked by another process, on a read-only file system, without its folder. Each gives one
// clear line, no crash loop and no data loss. Runs the built binary as a separate process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BIN, runTokenwatch, startTokenwatch } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

/** Whether this machine lets us make a private read-only bind mount (root in a container usually can). */
const canMountReadOnly = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp /tmp'], {
  stdio: 'ignore',
}).status === 0;

describe('database faults', () => {
  let dir: string;
  let env: Record<string, string>;
  let dbPath: string;

  beforeEach(async () => {
    dir = makeTempDir();
    dbPath = path.join(dir, 'data', 'tokenwatch.db');
    env = { TOKENWATCH_DB: dbPath, TOKENWATCH_TZ: 'Europe/Paris', TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'), TOKENWATCH_LOG_LEVEL: 'warn' };
    expect((await runTokenwatch(['add', '--name', 'Kept', '--expires', '2099-01-01'], env, dir)).code).toBe(0);
  });
  afterEach(() => removeDir(dir));

  async function names(): Promise<string[]> {
    const listed = await runTokenwatch(['list', '--json'], env, dir);
    return (JSON.parse(listed.stdout) as { name: string }[]).map((t) => t.name);
  }

  it('creates a missing database folder, owner-only', async () => {
    const deep = path.join(dir, 'a', 'b', 'c', 'tokenwatch.db');
    expect((await runTokenwatch(['list'], { ...env, TOKENWATCH_DB: deep }, dir)).code).toBe(0);
    expect(fs.statSync(path.dirname(deep)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(deep).mode & 0o777).toBe(0o600);
  });

  it('says in one line when the database folder cannot be created', async () => {
    fs.writeFileSync(path.join(dir, 'not-a-folder'), 'x');
    const result = await runTokenwatch(['list'], { ...env, TOKENWATCH_DB: path.join(dir, 'not-a-folder', 'tokenwatch.db') }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tokenwatch: database .*not-a-folder.*: its folder cannot be created \((ENOTDIR|EEXIST)/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails a write on a database locked by another process with one clear line and changes nothing', async () => {
    const holder = new Database(dbPath);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const result = await runTokenwatch(['add', '--name', 'Blocked', '--expires', '2099-01-01'], env, dir);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`tokenwatch: database ${dbPath}: locked by another process (expected it to finish; try again)`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await names()).toEqual(['Kept']);
  }, 30_000);

  it('keeps the daemon running while the database is locked and scans again once it is free', async () => {
    expect((await runTokenwatch(['add', '--name', 'Soon', '--expires', new Date(Date.now() + 3 * 86_400_000).toISOString()], env, dir)).code).toBe(0);
    const holder = new Database(dbPath);
    holder.exec('BEGIN IMMEDIATE');
    const daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_LOG_LEVEL: 'info', TOKENWATCH_SCHEDULE: '*/2 * * * * *', TOKENWATCH_LEASE_SECONDS: '3' }, dir);
    try {
      await daemon.waitFor(/locked/, 20_000);
      holder.exec('ROLLBACK');
      holder.close();
      await daemon.waitFor(/"event":"preview\.written"/, 20_000);
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
    } finally {
      if (holder.open) holder.close();
      daemon.child.kill('SIGKILL');
    }
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 60_000);

  (canMountReadOnly ? describe : describe.skip)('on a read-only file system', () => {
    /** Runs tokenwatch in a private mount namespace where `dir` is mounted read-only. */
    function readOnly(args: string[], timeoutSeconds = 0) {
      const command = `mount --bind "${dir}" "${dir}" && mount -o remount,bind,ro "${dir}" && ${timeoutSeconds > 0 ? `timeout --preserve-status -s TERM ${timeoutSeconds} ` : ''}"${process.execPath}" "${BIN}" ${args.join(' ')}`;
      return spawnSync('unshare', ['-m', 'sh', '-c', command], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', TOKENWATCH_HTTP: '127.0.0.1:0', ...env }, encoding: 'utf8' });
    }

    it('a command fails with one line saying the file system is read-only, and the data survives', async () => {
      const result = readOnly(['add', '--name', 'New', '--expires', '2099-01-01']);
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`tokenwatch: database ${dbPath}: the file system is read-only (expected a writable folder; set TOKENWATCH_DB)`);
      expect(await names()).toEqual(['Kept']);
    });

    it('the daemon waits and retries instead of exiting into a restart loop, and stops cleanly', () => {
      const result = readOnly(['daemon'], 3);
      expect(result.stderr).toContain('the file system is read-only (expected a writable folder; set TOKENWATCH_DB); retrying in 5s');
      expect(result.stdout).toContain('tokenwatch daemon: stopped.');
      expect(result.status).toBe(0);
    });
  });
});

// The built tokenwatch binary as a process: registry commands and exit codes, file modes, a daemon scanning and
// stopping on SIGTERM, and two daemons on one database.
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { runTokenwatch, startTokenwatch, type RunningProcess } from '../support/process';

describe('the tokenwatch binary', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = makeTempDir();
    env = {
      TOKENWATCH_DB: path.join(dir, 'data', 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
    };
  });
  afterEach(() => removeDir(dir));

  it('manages the registry from the command line with the documented exit codes', async () => {
    const added = await runTokenwatch(['add', '--name', 'Acme', '--expires', '2099-01-01'], env, dir);
    expect(added).toMatchObject({ code: 0, stdout: 'Added "Acme" (expires 2099-01-01).\n' });
    const listed = await runTokenwatch(['list', '--json'], env, dir);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'Acme', state: 'ok' })]);
    const unknown = await runTokenwatch(['show', 'Nobody'], env, dir);
    expect(unknown).toMatchObject({ code: 2, stderr: 'tokenwatch: unknown token "Nobody" (expected a name shown by "tokenwatch list")\n' });
    const badConfig = await runTokenwatch(['list'], { ...env, TOKENWATCH_SCHEDULE: 'often' }, dir);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/^tokenwatch: TOKENWATCH_SCHEDULE: "often" is not a cron expression/);
  });

  it('creates the database readable by its owner only', async () => {
    await runTokenwatch(['list'], env, dir);
    expect(fs.statSync(env['TOKENWATCH_DB'] as string).mode & 0o777).toBe(0o600);
  });

  it('runs the daemon on a seconds-level schedule, scans, and stops cleanly on SIGTERM', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
    expect((await runTokenwatch(['add', '--name', 'Due soon', '--expires', soon], env, dir)).code).toBe(0);
    const daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_SCHEDULE: '*/1 * * * * *' }, dir);
    try {
      await daemon.waitFor(/no SMTP or Slack configured: reminders are written to/);
      await daemon.waitFor(/next scheduled scan 20\d\d-/);
      await daemon.waitFor(/"event":"preview\.written"/);
      await daemon.waitFor(/"event":"scan\.started","reason":"schedule"/);
      const stoppedAt = Date.now();
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
      expect(daemon.stdout()).toContain('tokenwatch daemon: stopped.');
      expect(fs.readdirSync(env['TOKENWATCH_PREVIEW_DIR'] as string).some((f) => f.endsWith('.eml'))).toBe(true);
    } finally {
      daemon.child.kill('SIGKILL');
    }
  });
  it('makes a second daemon on the same database wait, say so, and take over when the first is killed', async () => {
    const fast = { ...env, TOKENWATCH_SCHEDULE: '0 9 * * *', TOKENWATCH_LEASE_SECONDS: '3' };
    const first = startTokenwatch(['daemon'], fast, dir);
    let second: RunningProcess | null = null;
    try {
      await first.waitFor(/next scheduled scan 20\d\d-/);
      second = startTokenwatch(['daemon'], fast, dir);
      await second.waitFor(/another daemon \(.+\) sends for this database; waiting to take over/);
      expect(second.stdout()).not.toMatch(/next scheduled scan/);
      first.child.kill('SIGKILL');
      await first.exited;
      await second.waitFor(/next scheduled scan 20\d\d-/, 10_000);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  });
});

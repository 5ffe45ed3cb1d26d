// The `tokenwatch daemon` binary serves HTTP where TOKENWATCH_HTTP says, says where in one line, and refuses a taken
// address with one line and exit code 2 before it touches the registry.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startTokenwatch, type RunningProcess } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';
import { runTokenwatch } from '../support/process';

describe('the daemon binary over HTTP', () => {
  let dir: string;
  let env: Record<string, string>;
  let daemon: RunningProcess | null = null;
  beforeEach(() => {
    dir = makeTempDir();
    env = {
      TOKENWATCH_DB: path.join(dir, 'data', 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'warn',
    };
  });
  afterEach(async () => {
    if (daemon !== null && daemon.child.exitCode === null) {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
    daemon = null;
    removeDir(dir);
  });

  const listeningUrl = (process: RunningProcess): string => {
    const match = /status page, \/healthz and \/metrics on (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(process.stdout());
    if (match?.[1] === undefined) throw new Error(`no listening line in ${process.stdout()}`);
    return match[1];
  };

  it('serves /healthz, /metrics and the page on the address it prints, and closes it on SIGTERM', async () => {
    daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: '127.0.0.1:0' }, dir);
    await daemon.waitFor(/next scheduled scan/);
    const url = listeningUrl(daemon);
    const health = await fetch(`${url}healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { ok: true }, lease: { held: true } });
    expect((await fetch(`${url}metrics`)).status).toBe(200);
    expect(await (await fetch(url)).text()).toContain('<title>tokenwatch status</title>');
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    await expect(fetch(`${url}healthz`)).rejects.toThrow();
  });

  it('stops with one line naming the address and exit code 2 when the port is taken, before creating the registry', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: `127.0.0.1:${port}` }, dir);
      expect(await daemon.exited).toBe(2);
      expect(daemon.stderr()).toBe(
        `tokenwatch: HTTP address 127.0.0.1:${port} (TOKENWATCH_HTTP): already in use by another process (expected a free port, or "off" to serve no HTTP)\n`,
      );
      expect(fs.existsSync(env['TOKENWATCH_DB'] as string)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('serves nothing with TOKENWATCH_HTTP=off, and says so', async () => {
    daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: 'off' }, dir);
    await daemon.waitFor(/next scheduled scan/);
    expect(daemon.stdout()).toContain('tokenwatch daemon: HTTP is off (TOKENWATCH_HTTP=off): no status page, /healthz or /metrics.\n');
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });

  it('answers /healthz with 503 and the reason while it waits for a database it cannot open', async () => {
    fs.writeFileSync(path.join(dir, 'not-a-folder'), '');
    daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: '127.0.0.1:0', TOKENWATCH_DB: path.join(dir, 'not-a-folder', 'tw.db') }, dir);
    await daemon.waitFor(/retrying in 5s/);
    const health = await fetch(`${listeningUrl(daemon)}healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'database-unavailable', database: { ok: false, error: expect.stringContaining('its folder cannot be created') } });
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });

  it('never shows the SMTP password, the Slack token or a token file\'s secret on the page, in /healthz or /metrics', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const slackToken = `xoxb-${randomBytes(12).toString('hex')}`;
    const tokenSecret = `sToken-${randomBytes(16).toString('hex')}`;
    const file = path.join(dir, 'acme.vpptoken');
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().replace(/\.\d+Z$/, '+0000');
    fs.writeFileSync(file, makeTokenFile({ token: tokenSecret, expDate: soon, orgName: 'Acme Main' }));
    expect((await runTokenwatch(['import', file], env, dir)).code).toBe(0);
    const secretEnv = {
      ...env,
      TOKENWATCH_LOG_LEVEL: 'info',
      TOKENWATCH_HTTP: '127.0.0.1:0',
      TOKENWATCH_SMTP_URL: `smtp://mailer:${password}@127.0.0.1:1`,
      TOKENWATCH_MAIL_TO: 'ops@example.test',
      SLACK_BOT_TOKEN: slackToken,
      TOKENWATCH_SLACK_CHANNEL: '#mdm',
      TOKENWATCH_SLACK_API_URL: 'http://127.0.0.1:1/api/',
    };
    daemon = startTokenwatch(['daemon'], secretEnv, dir);
    await daemon.waitFor(/"event":"scan\.done"/);
    const url = listeningUrl(daemon);
    const answers = await Promise.all(['', 'healthz', 'metrics'].map(async (p) => (await fetch(`${url}${p}`)).text()));
    expect(answers[0]).toContain('Acme Main');
    expect(answers[2]).toContain('tokenwatch_reminders_retrying{channel="email"} 1');
    for (const answer of answers) {
      expect(answer).not.toContain(password);
      expect(answer).not.toContain(slackToken);
      expect(answer).not.toContain(tokenSecret);
    }
  });
});

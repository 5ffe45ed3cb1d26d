// Secure by default: which addresses count as loopback, the daemon binary refusing a non-loopback address without
// authentication (one line, exit 2, registry untouched) unless TOKENWATCH_HTTP_PUBLIC=yes, and `doctor` showing the choice.
import fs from 'node:fs';
import path from 'node:path';
import { exposureOf, isLoopbackHost, OPEN_ACCESS, type HttpAccess } from '../../src/http/exposure';
import { startStatusServer } from '../../src/http/server';
import { fixedClock } from '../../src/clock';
import { silentLogger } from '../../src/log';
import { InputError } from '../../src/errors';
import { DateTime } from 'luxon';
import { cliHarness } from '../support/cli';
import { startTokenwatch, type RunningProcess } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

const TOKEN = 'b8f3c2a1d4e5f6a7b8c9d0e1f2a3b4c5';
const REFUSAL =
  'is reachable from other machines and the status page and /metrics have no authentication (expected TOKENWATCH_HTTP_TOKEN or ' +
  'TOKENWATCH_HTTP_USER with TOKENWATCH_HTTP_PASSWORD_HASH, a loopback address such as 127.0.0.1:9412, or TOKENWATCH_HTTP_PUBLIC=yes behind a proxy that authenticates)';

describe('which addresses are loopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.10', 'tokenwatch.internal', '128.0.0.1', '::ffff:10.0.0.1', '127.example.com'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );

  it('allows loopback without authentication, anything with authentication, and a wider address without only when made public', () => {
    const withToken: HttpAccess = { ...OPEN_ACCESS, auth: { bearerToken: TOKEN, basic: null } };
    expect(exposureOf({ host: '127.0.0.1', port: 9412 }, OPEN_ACCESS)).toEqual({ kind: 'loopback' });
    expect(exposureOf({ host: '0.0.0.0', port: 9412 }, withToken)).toEqual({ kind: 'authenticated' });
    expect(exposureOf({ host: '0.0.0.0', port: 9412 }, { ...OPEN_ACCESS, isPublic: true })).toEqual({ kind: 'public' });
    expect(exposureOf({ host: '0.0.0.0', port: 9412 }, OPEN_ACCESS)).toEqual({ kind: 'refused', reason: `TOKENWATCH_HTTP: 0.0.0.0:9412 ${REFUSAL}` });
  });

  it('makes startStatusServer throw an InputError before it listens', async () => {
    const start = startStatusServer(
      { host: '0.0.0.0', port: 0 },
      {
        clock: fixedClock(DateTime.utc()),
        policy: { zone: 'Europe/Paris', thresholds: [60, 30, 7], expiredRepeatDays: 7 },
        stats: () => {
          throw new Error('not reached');
        },
        daemonStatus: () => null,
        logger: silentLogger,
      },
    );
    await expect(start).rejects.toThrow(InputError);
  });
});

describe('the daemon binary on a non-loopback address', () => {
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

  it('refuses to start without authentication: one line, exit code 2, no registry created', async () => {
    daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: '0.0.0.0:0' }, dir);
    expect(await daemon.exited).toBe(2);
    expect(daemon.stderr()).toBe(`tokenwatch: TOKENWATCH_HTTP: 0.0.0.0:0 ${REFUSAL}\n`);
    expect(fs.existsSync(env['TOKENWATCH_DB'] as string)).toBe(false);
  });

  it('starts without authentication when TOKENWATCH_HTTP_PUBLIC=yes, and with a bearer token from a secret file', async () => {
    daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: '0.0.0.0:0', TOKENWATCH_HTTP_PUBLIC: 'yes' }, dir);
    await daemon.waitFor(/next scheduled scan/);
    const url = /on (http:\/\/0\.0\.0\.0:\d+\/)/.exec(daemon.stdout())?.[1] ?? '';
    expect((await fetch(url.replace('0.0.0.0', '127.0.0.1'))).status).toBe(200);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);

    const tokenFile = path.join(dir, 'http-token');
    fs.writeFileSync(tokenFile, `${TOKEN}\n`);
    daemon = startTokenwatch(['daemon'], { ...env, TOKENWATCH_HTTP: '0.0.0.0:0', TOKENWATCH_HTTP_TOKEN_FILE: tokenFile }, dir);
    await daemon.waitFor(/next scheduled scan/);
    const local = (/on (http:\/\/0\.0\.0\.0:\d+\/)/.exec(daemon.stdout())?.[1] ?? '').replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(local)).status).toBe(401);
    expect((await fetch(local, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect(`${daemon.stdout()}${daemon.stderr()}`).not.toContain(TOKEN);
  });
});

describe('doctor on the HTTP edge', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it.each([
    [{}, /^http\s+ok\s+127\.0\.0\.1:9412, loopback only, no authentication$/m, 0],
    [{ TOKENWATCH_HTTP: '0.0.0.0:9412', TOKENWATCH_HTTP_PUBLIC: 'yes' }, /^http\s+ok\s+0\.0\.0\.0:9412, no authentication, public by choice \(TOKENWATCH_HTTP_PUBLIC=yes\)$/m, 0],
    [{ TOKENWATCH_HTTP: '0.0.0.0:9412', TOKENWATCH_HTTP_TOKEN: TOKEN }, /^http\s+ok\s+0\.0\.0\.0:9412, authentication: bearer token \(\/healthz open\)$/m, 0],
    [{ TOKENWATCH_HTTP: '[::]:9412' }, /^http\s+failed\s+TOKENWATCH_HTTP: \[::\]:9412 is reachable from other machines .*; the daemon refuses to start$/m, 1],
    [{ TOKENWATCH_HTTP: 'off' }, /^http\s+ok\s+off \(TOKENWATCH_HTTP=off\)$/m, 0],
  ])('with %j shows the choice on its http line', async (env, line, code) => {
    const cli = cliHarness(dir, env);
    const result = await cli.run('doctor');
    expect(result.stdout).toMatch(line);
    expect(result.code).toBe(code);
    expect(result.stdout).not.toContain(TOKEN);
  });
});

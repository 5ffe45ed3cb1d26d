// The HTTP edge's settings in the configuration (token, Basic user and password hash from the environment or secret
// files only, public and /healthz switches) and `tokenwatch hash-password`, which makes the hash.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { InputError } from '../../src/errors';
import { httpAccessOf } from '../../src/http/exposure';
import { parsePasswordHash } from '../../src/config/password-hash-format';
import { verifyPassword } from '../../src/http/password-hash';
import { cliHarness } from '../support/cli';
import { startTokenwatch } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
// scrypt of "correct horse battery" at ln=10 (keeps the test fast), in the format `tokenwatch hash-password` prints.
const HASH = '$scrypt$ln=10,r=8,p=1$o/Qe22dUm9ShJvfEI2cFcg$iKPxYEJNWLaHDTEelB+mDhzkZfgxeBazsvzRIX9sxjA';

describe('HTTP settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));
  const load = (env: Record<string, string>) => loadConfig({ env, cwd: dir });

  it('asks for nothing by default: no token, no Basic user, not public, /healthz open', () => {
    const config = load({});
    expect(httpAccessOf(config)).toEqual({ auth: { bearerToken: null, basic: null }, isPublic: false, isHealthzProtected: false });
  });

  it('reads the token and the password hash from the environment or from secret files, and redacts the token', () => {
    fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
    fs.writeFileSync(path.join(dir, 'hash'), `${HASH}\n`);
    for (const env of [
      { TOKENWATCH_HTTP_TOKEN: TOKEN, TOKENWATCH_HTTP_USER: 'ops', TOKENWATCH_HTTP_PASSWORD_HASH: HASH },
      { TOKENWATCH_HTTP_TOKEN_FILE: path.join(dir, 'token'), TOKENWATCH_HTTP_USER: 'ops', TOKENWATCH_HTTP_PASSWORD_HASH_FILE: path.join(dir, 'hash') },
    ]) {
      const config = load({ ...env, TOKENWATCH_HTTP_PUBLIC: 'no', TOKENWATCH_HTTP_AUTH_HEALTHZ: 'yes' });
      const access = httpAccessOf(config);
      expect(access.auth.bearerToken).toBe(TOKEN);
      expect(access.auth.basic?.user).toBe('ops');
      expect(access.isHealthzProtected).toBe(true);
      expect(config.secrets).toContain(TOKEN);
    }
  });

  it('refuses the token and the password hash in the config file, naming them', () => {
    fs.writeFileSync(path.join(dir, 'tw.json'), JSON.stringify({ httpToken: TOKEN, httpPasswordHash: HASH }));
    const attempt = (): unknown => loadConfig({ env: {}, cwd: dir, configFile: 'tw.json' });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/"httpToken" is a secret and is not read from the config file/);
    expect(attempt).toThrow(/"httpPasswordHash" is a secret and is not read from the config file/);
  });

  it('takes httpPublic and httpAuthHealthz from the config file', () => {
    fs.writeFileSync(path.join(dir, 'tw.json'), JSON.stringify({ httpPublic: 'yes', httpAuthHealthz: 'yes' }));
    const config = loadConfig({ env: {}, cwd: dir, configFile: 'tw.json' });
    expect([config.httpPublic, config.httpAuthHealthz]).toEqual([true, true]);
  });

  it.each([
    [{ TOKENWATCH_HTTP_TOKEN: 'short' }, /^TOKENWATCH_HTTP_TOKEN: not a usable bearer token \(expected at least 16 characters/],
    [{ TOKENWATCH_HTTP_TOKEN: 'has spaces in it, which Bearer cannot carry' }, /^TOKENWATCH_HTTP_TOKEN: not a usable bearer token/],
    [{ TOKENWATCH_HTTP_USER: 'ops' }, /^TOKENWATCH_HTTP_USER: set without a password hash/],
    [{ TOKENWATCH_HTTP_PASSWORD_HASH: HASH }, /^TOKENWATCH_HTTP_PASSWORD_HASH: set without a user name/],
    [{ TOKENWATCH_HTTP_USER: 'a:b', TOKENWATCH_HTTP_PASSWORD_HASH: HASH }, /^TOKENWATCH_HTTP_USER: "a:b" is not a usable user name/],
    [{ TOKENWATCH_HTTP_USER: 'ops', TOKENWATCH_HTTP_PASSWORD_HASH: 'plain-password' }, /^TOKENWATCH_HTTP_PASSWORD_HASH: not a valid password hash/],
    [{ TOKENWATCH_HTTP_PUBLIC: 'maybe' }, /^TOKENWATCH_HTTP_PUBLIC: "maybe" is not valid \(expected yes or no\)$/],
    [{ TOKENWATCH_HTTP_TOKEN_FILE: '/nonexistent/token' }, /^TOKENWATCH_HTTP_TOKEN_FILE: cannot read "\/nonexistent\/token" \(ENOENT/],
  ])('refuses %j with one line naming the setting', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });

  it('never echoes a refused password hash or token', () => {
    const attempt = (): unknown => load({ TOKENWATCH_HTTP_USER: 'ops', TOKENWATCH_HTTP_PASSWORD_HASH: 'plain-password-typed-here', TOKENWATCH_HTTP_TOKEN: 'short-token' });
    expect(attempt).toThrow(InputError);
    expect(attempt).not.toThrow(/plain-password-typed-here|short-token/);
  });
});

describe('tokenwatch hash-password', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('prints a scrypt hash of the password in the file (without its final newline) that the daemon accepts, and never the password', async () => {
    fs.writeFileSync(path.join(dir, 'pw'), 'correct horse battery\n');
    const result = await cliHarness(dir).run('hash-password', '--password-file', path.join(dir, 'pw'));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$\S+\$\S+$/);
    expect(result.stdout).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', parsePasswordHash(result.stdout, 'TEST'))).toBe(true);
    const config = loadConfig({ env: { TOKENWATCH_HTTP_USER: 'ops', TOKENWATCH_HTTP_PASSWORD_HASH: result.stdout }, cwd: dir });
    expect(config.httpPasswordHash).not.toBeNull();
  });

  it('reads the password from standard input when no file is named', async () => {
    const running = startTokenwatch(['hash-password'], { TOKENWATCH_LOG_LEVEL: 'silent' }, dir);
    running.child.stdin.end('piped password here\n');
    expect(await running.exited).toBe(0);
    const hash = running.stdout().trim();
    expect(await verifyPassword('piped password here', parsePasswordHash(hash, 'TEST'))).toBe(true);
    expect(running.stdout() + running.stderr()).not.toContain('piped password');
  });

  it('refuses a short password and a missing file with one line and exit code 2', async () => {
    fs.writeFileSync(path.join(dir, 'pw'), 'short\n');
    const short = await cliHarness(dir).run('hash-password', '--password-file', path.join(dir, 'pw'));
    expect(short).toEqual({ code: 2, stdout: '', stderr: 'tokenwatch: password: 5 characters is too short (expected at least 12)' });
    const missing = await cliHarness(dir).run('hash-password', '--password-file', path.join(dir, 'none'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tokenwatch: --password-file: cannot read ".*none" \(ENOENT; expected the password in a file or on standard input\)$/);
  });
});

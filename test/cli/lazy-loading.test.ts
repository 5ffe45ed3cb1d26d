// Commands load only the command module asked for, and the mail and Slack clients (and the logger) only when they
// need them, so that `tokenwatch list` starts fast; commands that send still get every configured channel, and help
// still lists every command. Runs the built program in a child process, whose module cache shows what was loaded.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandNamed } from '../../src/cli/program';
import { cliHarness } from '../support/cli';
import { assertBuilt } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

const DIST = path.resolve(__dirname, '../../dist/src');
const WATCHED = ['nodemailer', '@slack/web-api', 'pino', 'node-forge', 'prom-client', 'csv-parse', 'node-cron', 'bindings'];
/** Modules of dist/src that `list` has no use for: the daemon, its HTTP server, the sources, the engine, the channels, the outbox. */
const UNUSED_BY_LIST = ['daemon/', 'http/server', 'http/metrics', 'sources/', 'engine/', 'notify/', 'store/outbox', 'store/lease'];

interface Outcome {
  code: number;
  out: string[];
  err: string[];
  loaded: string[];
  /** Every dist/src module loaded, relative to dist/src (cli/program.js). */
  modules: string[];
}

/** Runs `tokenwatch ARGS` in-process in a fresh Node process and reports which of WATCHED it loaded. */
function runFresh(dir: string, args: readonly string[], env: Record<string, string> = {}): Outcome {
  const script = `
    const { runCli } = require(${JSON.stringify(path.join(DIST, 'cli/program.js'))});
    const { systemClock } = require(${JSON.stringify(path.join(DIST, 'clock.js'))});
    const out = [], err = [];
    runCli(${JSON.stringify(args)}, { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, env: ${JSON.stringify({
      TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'silent',
      ...env,
    })}, cwd: ${JSON.stringify(dir)}, clock: systemClock }).then((code) => {
      const files = Object.keys(require.cache);
      const loaded = ${JSON.stringify(WATCHED)}.filter((name) => files.some((f) => f.includes('/node_modules/' + name + '/')));
      const modules = files.filter((f) => f.startsWith(${JSON.stringify(DIST + '/')})).map((f) => f.slice(${DIST.length + 1}));
      process.stdout.write(JSON.stringify({ code, out, err, loaded, modules }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' })) as Outcome;
}

describe('loading the mail and Slack clients on demand', () => {
  let dir: string;
  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('lists tokens without loading the mail, Slack, certificate, metrics, CSV or scheduling libraries (nor the bindings search for the SQLite addon), nor the daemon, engine, sources or outbox', () => {
    expect(runFresh(dir, ['add', '--name', 'Acme', '--expires', '2027-03-01']).code).toBe(0);
    const list = runFresh(dir, ['list']);
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toContain('Acme');
    expect(list.loaded).toEqual([]);
    expect(list.modules).toEqual(expect.arrayContaining(['cli/commands/list.js', 'store/token-repository.js']));
    expect(list.modules.filter((module) => UNUSED_BY_LIST.some((unused) => module.startsWith(unused)))).toEqual([]);
  });

  it('loads csv-parse once a command reads a CSV, and node-forge only to decrypt an ADE token with a key', () => {
    const imported = runFresh(dir, ['import', '--csv', path.join(dir, 'missing.csv')]);
    expect(imported.code).toBe(2);
    expect(imported.loaded).toContain('csv-parse');
    expect(imported.loaded).not.toContain('node-forge');
    // The daemon and the token folder read ADE tokens by their file names; only --key needs node-forge (to decrypt).
    const token = path.join(dir, 'Acme_Token_2026-07-01T22-18-53Z_smime.p7m');
    fs.writeFileSync(token, 'MIME-Version: 1.0\n\nnot base64!');
    fs.writeFileSync(path.join(dir, 'key.pem'), 'not a key');
    const decrypted = runFresh(dir, ['import', token, '--key', path.join(dir, 'key.pem')]);
    expect(decrypted.code).toBe(2);
    expect(decrypted.err.join('\n')).toMatch(/key\.pem: not an unencrypted RSA private key/);
    expect(decrypted.loaded).toContain('node-forge');
  });

  it('still lists every command in --help, and answers a mistyped command with a suggestion', async () => {
    const cli = cliHarness(dir);
    const help = await cli.run('--help');
    expect(help.code).toBe(0);
    const listed = [...help.stdout.matchAll(/^ {2}([a-z-]+)\b/gm)].map((match) => match[1]);
    for (const name of ['import', 'add', 'list', 'show', 'edit', 'remove', 'renew', 'mute', 'unmute', 'backup', 'hash-password', 'scan', 'daemon', 'history', 'retry', 'test-notify', 'doctor', 'sync']) {
      expect(listed).toContain(name);
    }
    const typo = await cli.run('lsit');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'lsit'.*\n?.*list/);
  });

  it('finds the command after the global --config option and its value', () => {
    expect(commandNamed(['list'])).toBe('list');
    expect(commandNamed(['--config', 'list', 'show', 'Acme'])).toBe('show');
    expect(commandNamed(['--config=tokenwatch.json', 'scan', '--dry-run'])).toBe('scan');
    expect(commandNamed(['--help'])).toBeNull();
    expect(commandNamed(['help', 'list'])).toBeNull();
    expect(commandNamed(['lsit'])).toBeNull();
    expect(commandNamed([])).toBeNull();
  });

  it('still builds the email and Slack channels when a command sends, loading their clients then', () => {
    const doctor = runFresh(dir, ['doctor'], {
      TOKENWATCH_SMTP_URL: 'smtp://127.0.0.1:9',
      SLACK_BOT_TOKEN: 'xoxb-lazy-loading-test',
      TOKENWATCH_SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    // Nothing listens on port 9: doctor reports both channels as unreachable, which proves both were built.
    const report = [...doctor.out, ...doctor.err].join('\n');
    expect(report).toMatch(/SMTP/i);
    expect(report).toMatch(/Slack/i);
    expect(doctor.loaded).toEqual(expect.arrayContaining(['nodemailer', '@slack/web-api']));
  });

  it('writes preview files through nodemailer when neither SMTP nor Slack is configured', () => {
    expect(runFresh(dir, ['add', '--name', 'Soon', '--expires', '2027-03-01']).code).toBe(0);
    const scan = runFresh(dir, ['scan', '--at', '2027-02-20']);
    expect(scan.code).toBe(0);
    expect(scan.out.join('\n')).toMatch(/1 sent/);
    expect(scan.loaded).toContain('nodemailer');
  });
});

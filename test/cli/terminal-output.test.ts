// The terminal: human lines on stdout, log lines on stderr (JSON when stderr is not a terminal, readable when it
// is), and a progress bar on a terminal only, after a couple of seconds. Terminals are injected (isTTY flags).
import { PassThrough } from 'node:stream';
import { DateTime } from 'luxon';
import { fixedClock } from '../../src/clock';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/program';
import { createProgress } from '../../src/cli/progress';
import { createLogger, prettyLine } from '../../src/log';
import { makeTempDir, removeDir } from '../support/temp-dir';
import fs from 'node:fs';
import path from 'node:path';
import { cliHarness } from '../support/cli';

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('log lines', () => {
  it('are one JSON object per line when stderr is not a terminal', () => {
    const { stream, text } = captured();
    createLogger({ level: 'info', destination: stream }).info('delivery.sent', { token: 'Acme Main', channel: 'email' });
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', event: 'delivery.sent', token: 'Acme Main' });
  });

  it('are readable lines with the time, level, event and fields when stderr is a terminal, secrets still redacted', () => {
    const { stream, text } = captured();
    const logger = createLogger({ level: 'info', destination: stream, isPretty: true, secrets: ['hunter2-password'] });
    logger.warn('delivery.retrying', { token: 'Acme Main', attempt: 2, error: 'login with hunter2-password refused', password: 'x' });
    expect(text()).toMatch(/^\d\d:\d\d:\d\d WARN {2}delivery\.retrying token="Acme Main" attempt=2 error="login with \[redacted\] refused" password="\[redacted\]"\n$/);
    expect(text()).not.toContain('{');
  });

  it('keeps a line that is not JSON as it is', () => {
    expect(prettyLine('plain words\n')).toBe('plain words\n');
  });
});

describe('a command at a terminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  async function scan(isStderrTty: boolean): Promise<{ stdout: string[]; stderr: string[]; logs: string }> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
    const log = captured();
    const env = {
      TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'info',
    };
    const clock = fixedClock(DateTime.fromISO('2027-01-01T10:00:00', { zone: 'Europe/Paris' }));
    const deps = { io, env, cwd: dir, clock, logDestination: log.stream, isStderrTty };
    expect(await runCli(['add', '--name', 'Acme Main', '--expires', '2027-01-20'], deps)).toBe(0);
    stdout.length = 0;
    expect(await runCli(['scan'], deps)).toBe(0);
    return { stdout, stderr, logs: log.text() };
  }

  it('prints its human lines on stdout and its log lines, as JSON, apart on stderr when stderr is not a terminal', async () => {
    const { stdout, logs } = await scan(false);
    expect(stdout.length).toBeGreaterThan(0);
    for (const line of stdout.join('\n').split('\n')) expect(line.trimStart().startsWith('{"')).toBe(false);
    const events = logs.trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['preview.written']));
  });

  it('writes readable log lines when stderr is a terminal', async () => {
    const { stdout, logs } = await scan(true);
    expect(stdout.length).toBeGreaterThan(0);
    expect(logs).toMatch(/^\d\d:\d\d:\d\d INFO {2}preview\.written eml=/m);
    expect(logs).not.toMatch(/^\{/m);
  });
});

describe('machine output', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('import --json prints the imported tokens as list --json does, and nothing else on stdout', async () => {
    const cli = cliHarness(dir);
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, 'name,expires,apple_id,org_group\nA,2027-03-01,a@x.test,Global / A\nB,2027-02-01,,\n');
    const result = await cli.run('import', '--csv', csv, '--json');
    expect(result.code).toBe(0);
    const imported = JSON.parse(result.stdout) as { name: string; daysLeft: number; orgGroup: string | null }[];
    expect(imported.map((t) => [t.name, t.orgGroup])).toEqual([['A', 'Global / A'], ['B', null]]);
    const listed = JSON.parse((await cli.run('list', '--json')).stdout) as { name: string }[];
    expect(listed.map((t) => t.name).sort()).toEqual(['A', 'B']);
  });
});

describe('the progress bar', () => {
  function bar(isTty: boolean): { written: string[]; setNow: (ms: number) => void; progress: ReturnType<typeof createProgress> } {
    const written: string[] = [];
    let now = 0;
    const progress = createProgress({ isTty, write: (text) => written.push(text), now: () => now, label: 'importing', width: 10 });
    return { written, setNow: (ms) => (now = ms), progress };
  }

  it('stays silent when stderr is not a terminal, however long the work', () => {
    const { written, setNow, progress } = bar(false);
    for (let ms = 0; ms <= 60_000; ms += 500) {
      setNow(ms);
      progress.update(ms, 60_000);
    }
    progress.finish();
    expect(written).toEqual([]);
  });

  it('stays silent on a terminal for work shorter than two seconds', () => {
    const { written, setNow, progress } = bar(true);
    setNow(1999);
    progress.update(100_000, 100_000);
    progress.finish();
    expect(written).toEqual([]);
  });

  it('draws on a terminal after two seconds, at most ten times a second, and clears its line at the end', () => {
    const { written, setNow, progress } = bar(true);
    setNow(2000);
    progress.update(25_000, 100_000);
    setNow(2050);
    progress.update(26_000, 100_000);
    setNow(2100);
    progress.update(50_000, 100_000);
    setNow(2120);
    progress.update(100_000, 100_000);
    progress.finish();
    expect(written).toEqual([
      '\rimporting [###-------] 25% 25,000/100,000',
      '\rimporting [#####-----] 50% 50,000/100,000',
      '\rimporting [##########] 100% 100,000/100,000',
      `\r${' '.repeat('importing [##########] 100% 100,000/100,000'.length)}\r`,
    ]);
  });
});

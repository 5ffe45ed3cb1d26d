// The terminal: human lines on stdout, log lines on stderr (JSON when stderr is not a terminal, readable when it
// is), and a progress bar (import, scan, sync) on a terminal only, after a couple of seconds, that log lines never
// run into. Terminals are injected (isTTY flags) and so is the bar's monotonic clock.
import { PassThrough, Writable } from 'node:stream';
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
import { makeTokenFile } from '../support/token-files';

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

/**
 * What a terminal shows after these writes to stderr: `\r` returns to the start of the line and later characters
 * overwrite earlier ones, `\n` ends the line. The last entry is the line the cursor is on (a bar, or '' once cleared).
 */
function screen(writes: readonly string[]): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let column = 0;
  for (const char of writes.join('')) {
    if (char === '\r') column = 0;
    else if (char === '\n') {
      lines.push(line.join('').trimEnd());
      line = [];
      column = 0;
    } else {
      line[column] = char;
      column += 1;
    }
  }
  lines.push(line.join('').trimEnd());
  return lines;
}

describe('scan and sync at a terminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  /** Runs commands whose stderr (log lines and bars, in the order written) is kept; each clock reading is `stepMs` on. */
  function terminal(isStderrTty: boolean, env: Record<string, string> = {}, stepMs = 400): {
    run: (...argv: string[]) => Promise<{ code: number; stdout: string }>;
    stderr: string[];
    bars: string[];
  } {
    const stderr: string[] = [];
    const bars: string[] = [];
    const stdout: string[] = [];
    const io: CliIo = {
      out: (t) => stdout.push(t),
      err: (t) => stderr.push(`${t}\n`),
      progress: (t) => {
        stderr.push(t);
        bars.push(t);
      },
    };
    // Written in order with the bars, as a terminal's stderr would receive them.
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        stderr.push(chunk.toString());
        done();
      },
    });
    let ms = 0;
    const deps = {
      io,
      env: {
        TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
        TOKENWATCH_TZ: 'Europe/Paris',
        TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
        TOKENWATCH_LOG_LEVEL: 'info',
        ...env,
      },
      cwd: dir,
      clock: fixedClock(DateTime.fromISO('2027-01-01T10:00:00', { zone: 'Europe/Paris' })),
      logDestination,
      isStderrTty,
      monotonicMs: () => (ms += stepMs),
    };
    return {
      stderr,
      bars,
      run: async (...argv) => {
        stdout.length = 0;
        stderr.length = 0;
        bars.length = 0;
        const code = await runCli(argv, deps);
        return { code, stdout: stdout.join('\n') };
      },
    };
  }

  /** 120 tokens, all within their 30-day reminder on 2027-01-01. */
  async function registry(cli: ReturnType<typeof terminal>): Promise<void> {
    const csv = path.join(dir, 'tokens.csv');
    const rows = Array.from({ length: 120 }, (_, i) => `Token ${String(i).padStart(3, '0')},2027-01-${String(10 + (i % 20)).padStart(2, '0')}`);
    fs.writeFileSync(csv, `name,expires\n${rows.join('\n')}\n`);
    expect((await cli.run('import', '--csv', csv)).code).toBe(0);
  }

  it('scan draws a bar of the tokens planned, then of the reminders sent, that log lines never run into', async () => {
    const cli = terminal(true);
    await registry(cli);
    const { code } = await cli.run('scan');
    expect(code).toBe(0);
    const drawn = screen(cli.bars).join(' ');
    expect(cli.bars.some((bar) => /^\rscanning \[#+-*\] \d+% \d+\/120$/.test(bar))).toBe(true);
    expect(cli.bars.some((bar) => /^\rsending \[#+-*\] \d+% \d+\/120$/.test(bar))).toBe(true);
    expect(drawn.trim()).toBe('');
    const shown = screen(cli.stderr);
    // Every finished line is a whole log line; the bar's line is cleared at the end.
    expect(shown.at(-1)).toBe('');
    const logLines = shown.slice(0, -1);
    expect(logLines.length).toBeGreaterThan(120);
    for (const line of logLines) {
      expect(line).toMatch(/^\d\d:\d\d:\d\d (INFO |WARN |ERROR) [a-z_.]+( |$)/);
      expect(line).not.toMatch(/scanning|sending \[/);
    }
  });

  it('scan --json on a terminal keeps stdout to the JSON: the bar goes to stderr only', async () => {
    const cli = terminal(true, { TOKENWATCH_LOG_LEVEL: 'silent' });
    await registry(cli);
    const { code, stdout } = await cli.run('scan', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { sent: number }).sent).toBe(120);
    expect(cli.bars.length).toBeGreaterThan(0);
    expect(stdout).not.toContain('[#');
  });

  it('scan and sync draw nothing when stderr is not a terminal: the log stays JSON lines', async () => {
    const folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'acme.vpptoken'), makeTokenFile({ token: 'sToken-secret', expDate: '2027-01-20T10:00:00+0000', orgName: 'Acme' }));
    const cli = terminal(false, { TOKENWATCH_TOKEN_DIR: folder });
    await registry(cli);
    expect((await cli.run('scan')).code).toBe(0);
    expect(cli.bars).toEqual([]);
    for (const line of cli.stderr.join('').trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect((await cli.run('sync')).code).toBe(0);
    expect(cli.bars).toEqual([]);
  });

  it('sync draws a bar naming the source it reads and clears it at the end', async () => {
    const folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    for (let i = 0; i < 5; i += 1) {
      fs.writeFileSync(path.join(folder, `org-${i}.vpptoken`), makeTokenFile({ token: `secret-${i}`, expDate: '2027-06-20T10:00:00+0000', orgName: `Org ${i}` }));
    }
    // A slow source: every clock reading is two and a half seconds on, so the bar is due before the folder is read.
    const cli = terminal(true, { TOKENWATCH_TOKEN_DIR: folder, TOKENWATCH_LOG_LEVEL: 'silent' }, 2500);
    const { code, stdout } = await cli.run('sync');
    expect(code).toBe(0);
    expect(stdout).toContain('folder: 5 added');
    expect(cli.bars).toContain(`\rsyncing folder [${'-'.repeat(30)}] 0% 0/1`);
    expect(cli.bars.some((bar) => bar.startsWith(`\rsyncing [${'#'.repeat(30)}] 100% 1/1`))).toBe(true);
    expect(screen(cli.stderr)).toEqual(['']);
  });
});

// The daemon gives back memory once idle: whenIdle runs after a scan or a retry pass has ended and the daemon stayed
// idle, never while work runs, and a failing release is logged without stopping anything. Then the built daemon as
// `npm start` runs it: a full garbage collection and SQLite's shrink once the start-up scan is over.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Daemon } from '../../src/daemon/daemon';
import { createEngine } from '../../src/engine/engine';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { silentLogger } from '../../src/log';
import { Lease } from '../../src/store/lease';
import { openEngine, tokenInput, type TestEngine } from '../support/engine';
import { BIN, assertBuilt, daemonEnv } from '../support/process';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { waitUntil } from '../support/wait-until';

describe('the daemon releases memory once idle', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let email: Channel;
  let engine: TestEngine;
  let daemon: Daemon | null;

  /** What the SMTP server and the daemon were doing each time whenIdle ran. */
  let releases: { attempts: number; accepted: number; isScanning: boolean }[];

  const startDaemon = (whenIdle: () => unknown): Daemon => {
    daemon = new Daemon({
      engine: createEngine(engine.deps),
      lease: new Lease(engine.db, 'host:1:idle', 600_000),
      schedule: '0 9 * * *',
      zone: 'Europe/Paris',
      clock: engine.clock,
      logger: engine.logger,
      heartbeatMs: 20,
      retryCheckMs: 20,
      whenIdle,
      idleSettleMs: 20,
    });
    return daemon;
  };
  const recordRelease = (): void => {
    releases.push({ attempts: smtp.stats.attempts, accepted: smtp.messages.length, isScanning: daemon?.status().isScanning ?? true });
  };

  beforeEach(async () => {
    dir = makeTempDir();
    releases = [];
    daemon = null;
    smtp = await startSmtpReceiver({ delayMs: 300, failFirst: { count: 1, failure: { code: 451 } } });
    email = createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: false, logger: silentLogger });
    engine = openEngine(dir, new Map([['email', email]]), { mailTo: ['ops@example.test'], start: '2027-01-10T09:00' });
    engine.tokens.add(tokenInput('Acme', '2027-01-15T10:00'), engine.clock.now());
  });
  afterEach(async () => {
    await daemon?.stop();
    engine.close();
    await email.close();
    await smtp.close();
    removeDir(dir);
  });

  it('after the start-up scan and after the retry pass that follows it, never while either sends', async () => {
    const running = startDaemon(recordRelease);
    const scanned = once(running, 'scan:done');
    running.start();
    await scanned;
    // The server refused the reminder (451): it waits in the outbox, and the daemon is idle.
    await waitUntil(() => releases.length === 1);
    expect(releases).toEqual([{ attempts: 1, accepted: 0, isScanning: false }]);

    const retried = once(running, 'retry:done');
    engine.clock.advance({ minutes: 2 });
    await retried;
    await waitUntil(() => releases.length === 2);
    // The retry pass held the message 300 ms at the server: no release saw it in flight (2 attempts, 0 accepted).
    expect(releases).toEqual([
      { attempts: 1, accepted: 0, isScanning: false },
      { attempts: 2, accepted: 1, isScanning: false },
    ]);
  });

  it('logs a release that fails and goes on scanning', async () => {
    // As the real edge does, the release is async: its rejection is what the daemon must catch.
    const running = startDaemon(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('shrink_memory: database is closed');
    });
    const scanned = once(running, 'scan:done');
    running.start();
    await scanned;
    await waitUntil(() => engine.logger.lines.some((line) => line.event === 'idle.failed'));
    expect(engine.logger.lines.find((line) => line.event === 'idle.failed')).toMatchObject({ level: 'warn', fields: { error: 'shrink_memory: database is closed' } });

    const again = once(running, 'scan:done');
    await running.runScan('schedule');
    await again;
    expect(engine.logger.lines.filter((line) => line.event === 'scan.done')).toHaveLength(2);
  });
});

describe('the built daemon once idle', () => {
  const root = path.resolve(__dirname, '../..');
  const startScript = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  /** The Node flags between `node` and the script in package.json's start script. */
  const startFlags = startScript.split(/\s+/).filter((word) => word.startsWith('--'));
  let dir: string;
  beforeAll(() => assertBuilt());
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  /** Runs `node FLAGS main.js daemon` until it logs idle.released, and returns that line's fields. */
  async function idleRelease(flags: readonly string[]): Promise<Record<string, unknown>> {
    const child = spawn(process.execPath, [...flags, BIN, 'daemon'], {
      cwd: dir,
      env: daemonEnv(dir),
    });
    try {
      let stderr = '';
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no idle.released within 20 s: ${stderr}`)), 20_000);
        child.once('exit', (code) => reject(new Error(`daemon exited ${String(code)}: ${stderr}`)));
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const line = stderr.split('\n').find((text) => text.includes('"event":"idle.released"'));
          if (line === undefined) return;
          clearTimeout(timer);
          resolve(JSON.parse(line) as Record<string, unknown>);
        });
      });
    } finally {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
    }
  }

  it('runs a full garbage collection under the flags of npm start (--expose-gc)', async () => {
    expect(startFlags).toContain('--expose-gc');
    const release = await idleRelease(startFlags);
    expect(release).toMatchObject({ isCollected: true, heapUsedMb: expect.any(Number) as number });
  }, 30_000);

  it('still shrinks SQLite and says no collection ran when node is started without --expose-gc', async () => {
    expect(await idleRelease([])).toMatchObject({ isCollected: false });
  }, 30_000);
});

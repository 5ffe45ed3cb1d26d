// The heartbeat (TOKENWATCH_HEARTBEAT_URL): the real daemon, on a real SQLite file with an injected clock and the
// real SMTP server, pings a local server that speaks Healthchecks.io's and Uptime Kuma's ping APIs: start, then
// success or the failure with its reason; a monitor that is down, refuses or hangs never changes the scan, and its
// URL never reaches a log line. The built binary's daemon is wired to it by the environment alone.
import { once } from 'node:events';
import path from 'node:path';
import { Daemon } from '../../src/daemon/daemon';
import { detectHeartbeatKind, type HeartbeatKind } from '../../src/domain/heartbeat';
import { createEngine } from '../../src/engine/engine';
import { createHeartbeatPinger } from '../../src/notify/heartbeat-pinger';
import type { Channel } from '../../src/notify/channel';
import { Lease } from '../../src/store/lease';
import { testEmailChannel } from '../support/channels';
import { openEngine, tokenInput, type TestEngine } from '../support/engine';
import { startFakeMonitor, type FakeMonitorServer } from '../support/fake-monitor-server';
import { startTokenwatch } from '../support/process';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const CHECK = '5f0c2a34-9d3e-4b7a-8c21-0e6f4d2b9a17';
const PUSH_TOKEN = 'Xk3pQ9vLmT';

describe('the heartbeat around the daemon scans', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let email: Channel;
  let monitor: FakeMonitorServer;
  let engine: TestEngine;
  let daemon: Daemon | null = null;

  beforeEach(async () => {
    dir = makeTempDir();
    monitor = await startFakeMonitor({ checks: [CHECK], pushTokens: [PUSH_TOKEN] });
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    engine.close();
    await email.close();
    await smtp.close();
    await monitor.close();
    removeDir(dir);
  });

  /** A daemon pinging `url` (the kind told from it unless given), sending email through the SMTP receiver. */
  async function startDaemon(url: string, options: { kind?: HeartbeatKind; timeoutMs?: number; smtpFailure?: number } = {}): Promise<Daemon> {
    smtp = await startSmtpReceiver(options.smtpFailure === undefined ? {} : { failFirst: { count: 1, failure: { code: options.smtpFailure } } });
    email = testEmailChannel(smtp);
    engine = openEngine(dir, new Map([['email', email]]), { mailTo: ['ops@example.test'], start: '2027-01-10T09:00' });
    engine.tokens.add(tokenInput('Acme', '2027-01-15T10:00'), engine.clock.now());
    daemon = new Daemon({
      engine: createEngine(engine.deps),
      lease: new Lease(engine.db, 'host:1:heartbeat', 600_000),
      schedule: '0 9 * * *',
      zone: 'Europe/Paris',
      clock: engine.clock,
      logger: engine.logger,
      heartbeatMs: 60_000,
      retryCheckMs: 60_000,
      monitor: createHeartbeatPinger({
        url,
        kind: options.kind ?? detectHeartbeatKind(url),
        timeoutMs: options.timeoutMs ?? 2000,
        logger: engine.logger,
        secrets: [],
      }),
    });
    return daemon;
  }

  /** Starts the daemon and waits for its start-up scan, the monitor told how it ended. */
  async function startupScan(running: Daemon): Promise<void> {
    const reported = once(running, 'heartbeat:sent');
    running.start();
    await reported;
  }

  const heartbeatLogs = (): string[] => engine.logger.lines.filter((line) => line.event.startsWith('heartbeat.')).map((line) => JSON.stringify(line));

  describe('Healthchecks.io', () => {
    it('hears /start when a scan starts and the ping URL with the counts when it worked', async () => {
      const running = await startDaemon(`${monitor.origin}/ping/${CHECK}`);
      await startupScan(running);
      expect(smtp.messages).toHaveLength(1);
      expect(monitor.pings).toEqual([
        { monitor: 'healthchecks', method: 'POST', signal: 'start', message: 'tokenwatch scan started (startup)', pingMs: null },
        { monitor: 'healthchecks', method: 'POST', signal: 'success', message: 'tokenwatch scan done: 1 queued, 1 sent, 0 to retry, 0 failed', pingMs: null },
      ]);
      expect(monitor.refused).toEqual([]);
    });

    it('hears /fail with the reason when a scheduled scan fails, and success again once it works', async () => {
      const running = await startDaemon(`${monitor.origin}/ping/${CHECK}/`);
      await startupScan(running);
      engine.db.exec('ALTER TABLE tokens RENAME TO tokens_away');
      engine.clock.set('2027-01-11T09:00');
      const failed = once(running, 'scan:failed');
      await running.runScan('schedule');
      await failed;
      const [start, fail] = monitor.pings.slice(2);
      expect(start).toMatchObject({ signal: 'start', message: 'tokenwatch scan started (schedule)' });
      expect(fail?.signal).toBe('fail');
      expect(fail?.message).toMatch(/^tokenwatch scan failed: .*no such table: tokens/);

      engine.db.exec('ALTER TABLE tokens_away RENAME TO tokens');
      await running.runScan('schedule');
      expect(monitor.pings.slice(4).map((ping) => ping.signal)).toEqual(['start', 'success']);
    });

    it('hears /fail when a reminder could not be delivered for good, naming how many', async () => {
      const running = await startDaemon(`${monitor.origin}/ping/${CHECK}`, { smtpFailure: 550 });
      await startupScan(running);
      expect(monitor.pings.map((ping) => ping.signal)).toEqual(['start', 'fail']);
      expect(monitor.pings[1]?.message).toBe(
        'tokenwatch scan: 1 reminder delivery failed for good (see tokenwatch history); 1 queued, 0 sent, 0 to retry, 1 failed',
      );
    });
  });

  describe('Uptime Kuma', () => {
    it('gets status=up with the counts and the scan time as ping from the push URL Uptime Kuma shows, and no start', async () => {
      const running = await startDaemon(`${monitor.origin}/api/push/${PUSH_TOKEN}?status=up&msg=OK&ping=`);
      await startupScan(running);
      expect(monitor.pings).toHaveLength(1);
      expect(monitor.pings[0]).toMatchObject({ monitor: 'uptime-kuma', method: 'GET', signal: 'up', message: 'tokenwatch scan done: 1 queued, 1 sent, 0 to retry, 0 failed' });
      expect(monitor.pings[0]?.pingMs).toEqual(expect.any(Number));
    });

    it('gets status=down with the reason when a scan fails', async () => {
      const running = await startDaemon(`${monitor.origin}/api/push/${PUSH_TOKEN}?status=up&msg=OK&ping=`);
      await startupScan(running);
      engine.db.exec('ALTER TABLE tokens RENAME TO tokens_away');
      await running.runScan('schedule');
      expect(monitor.pings.map((ping) => ping.signal)).toEqual(['up', 'down']);
      expect(monitor.pings[1]?.message).toMatch(/^tokenwatch scan failed: .*no such table: tokens/);
    });

    it('is told apart from Healthchecks.io by TOKENWATCH_HEARTBEAT_KIND when the push URL sits behind another path', async () => {
      // Behind a reverse proxy that rewrites /kuma/... the URL no longer looks like Uptime Kuma's; the kind says so.
      const running = await startDaemon(`${monitor.origin}/api/push/${PUSH_TOKEN}`, { kind: 'uptime-kuma' });
      await startupScan(running);
      expect(monitor.pings.map((ping) => [ping.monitor, ping.signal])).toEqual([['uptime-kuma', 'up']]);
    });
  });

  describe('a monitor that fails', () => {
    it('is logged without its URL, and the scan sends and succeeds as if it were not there', async () => {
      const running = await startDaemon(`${monitor.origin}/ping/${CHECK}`);
      monitor.failNext(2, 'error');
      const done = once(running, 'scan:done');
      await startupScan(running);
      await done;
      expect(smtp.messages).toHaveLength(1);
      expect(running.status().lastScan).toMatchObject({ isOk: true, sent: 1 });
      const logs = heartbeatLogs();
      expect(logs).toHaveLength(2);
      for (const line of logs) {
        expect(line).toContain('heartbeat.failed');
        expect(line).toContain('the monitor answered HTTP 500: internal error while handling [redacted]');
        expect(line).not.toContain(CHECK);
      }
    });

    it('that refuses the check (404 "not found") is logged, naming the status and its answer', async () => {
      const running = await startDaemon(`${monitor.origin}/ping/00000000-0000-4000-8000-000000000000`);
      await startupScan(running);
      expect(running.status().lastScan).toMatchObject({ isOk: true });
      expect(monitor.refused).toHaveLength(2);
      expect(heartbeatLogs().join('\n')).toContain('the monitor answered HTTP 404: not found');
    });

    it('that refuses an Uptime Kuma push token is logged with its {"ok":false} reason', async () => {
      const running = await startDaemon(`${monitor.origin}/api/push/not-a-token?status=up&msg=OK&ping=`);
      await startupScan(running);
      expect(heartbeatLogs().join('\n')).toContain('the monitor answered HTTP 500: Monitor not found or not active.');
      expect(heartbeatLogs().join('\n')).not.toContain('not-a-token');
    });

    it('that hangs is given up after the bound, and the scan still finishes', async () => {
      const running = await startDaemon(`${monitor.origin}/ping/${CHECK}`, { timeoutMs: 300 });
      monitor.failNext(2, 'hang');
      await startupScan(running);
      expect(running.status().lastScan).toMatchObject({ isOk: true, sent: 1 });
      expect(heartbeatLogs().join('\n')).toContain('request failed: no answer within 300 ms');
    });

    it('that is not listening is logged, and the scan still finishes', async () => {
      const origin = monitor.origin;
      await monitor.close();
      monitor = await startFakeMonitor({ checks: [], pushTokens: [] });
      const running = await startDaemon(`${origin}/ping/${CHECK}`);
      await startupScan(running);
      expect(running.status().lastScan).toMatchObject({ isOk: true, sent: 1 });
      expect(heartbeatLogs().join('\n')).toMatch(/request failed: fetch failed: ECONNREFUSED/);
    });
  });
});

describe('the heartbeat of the tokenwatch daemon process', () => {
  let dir: string;
  let monitor: FakeMonitorServer;
  beforeEach(async () => {
    dir = makeTempDir();
    monitor = await startFakeMonitor({ checks: [CHECK], pushTokens: [] });
  });
  afterEach(async () => {
    await monitor.close();
    removeDir(dir);
  });

  it('pings TOKENWATCH_HEARTBEAT_URL around its start-up scan, and never prints the URL', async () => {
    const env = {
      TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'debug',
      TOKENWATCH_HEARTBEAT_URL: `${monitor.origin}/ping/${CHECK}`,
    };
    const daemon = startTokenwatch(['daemon'], env, dir);
    try {
      await daemon.waitFor(/each scan is reported to the Healthchecks\.io check of TOKENWATCH_HEARTBEAT_URL/);
      await daemon.waitFor(/"event":"heartbeat\.sent","kind":"healthchecks","signal":"success"/);
      expect(monitor.pings.map((ping) => [ping.signal, ping.message])).toEqual([
        ['start', 'tokenwatch scan started (startup)'],
        ['success', 'tokenwatch scan done: 0 queued, 0 sent, 0 to retry, 0 failed'],
      ]);
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
      expect(`${daemon.stdout()}${daemon.stderr()}`).not.toContain(CHECK);
    } finally {
      daemon.child.kill('SIGKILL');
    }
  });
});

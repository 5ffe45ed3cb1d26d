// The daemon's scans and retry passes take turns: a scan that falls due while a retry pass is sending starts right
// after it instead of being skipped, and the logs say so. Real SQLite, the real SMTP server holding each message.
import { once } from 'node:events';
import { Daemon } from '../../src/daemon/daemon';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { silentLogger } from '../../src/log';
import { Lease } from '../../src/store/lease';
import { openEngine, tokenInput, type TestEngine } from '../support/engine';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { waitUntil } from '../support/wait-until';
import { createEngine } from '../../src/engine/engine';

describe('the daemon schedules scans around retry passes', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let email: Channel;
  let engine: TestEngine;
  let daemon: Daemon;

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver({ delayMs: 400, failFirst: { count: 1, failure: { code: 451 } } });
    email = createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: false, logger: silentLogger });
    engine = openEngine(dir, new Map([['email', email]]), { mailTo: ['ops@example.test'], start: '2027-01-10T09:00' });
    daemon = new Daemon({
      engine: createEngine(engine.deps),
      lease: new Lease(engine.db, 'host:1:sched', 600_000),
      schedule: '0 9 * * *',
      zone: 'Europe/Paris',
      clock: engine.clock,
      logger: engine.logger,
      heartbeatMs: 20,
      retryCheckMs: 20,
    });
  });
  afterEach(async () => {
    await daemon.stop();
    engine.close();
    await email.close();
    await smtp.close();
    removeDir(dir);
  });

  it('starts a scheduled scan that fell due during a retry pass right after it, and logs that it waited', async () => {
    engine.tokens.add(tokenInput('Deferred', '2027-01-15T10:00'), engine.clock.now());
    const first = once(daemon, 'scan:done');
    daemon.start();
    await first;
    expect(smtp.messages).toHaveLength(0); // refused with 451: retried in a minute
    engine.tokens.add(tokenInput('Scheduled', '2027-01-20T10:00'), engine.clock.now());
    engine.clock.advance({ minutes: 2 });
    // The retry pass is sending (the server holds the message), and the 09:00 scan falls due.
    await waitUntil(() => smtp.stats.attempts === 2);
    await daemon.runScan('schedule');

    expect(smtp.messages.map((m) => /"([^"]+)"/.exec(m.subject)?.[1])).toEqual(['Deferred', 'Scheduled']);
    const events = engine.logger.lines.map((line) => line.event);
    expect(events).not.toContain('scan.skipped');
    const queued = engine.logger.lines.find((line) => line.event === 'scan.queued');
    expect(queued?.fields).toMatchObject({ reason: 'schedule', after: 'retry' });
    const retried = events.indexOf('retry.done');
    const started = engine.logger.lines.findIndex((line) => line.event === 'scan.started' && line.fields['reason'] === 'schedule');
    expect(retried).toBeGreaterThan(events.indexOf('scan.queued'));
    expect(started).toBeGreaterThan(retried);
  });

  it('runs one more scan after a scan that was still running when the next one fell due', async () => {
    engine.tokens.add(tokenInput('Slow', '2027-01-15T10:00'), engine.clock.now());
    smtp.failNext(0, { code: 451 });
    daemon.start();
    await waitUntil(() => smtp.stats.attempts === 1);
    await daemon.runScan('schedule');
    const starts = engine.logger.lines.filter((line) => line.event === 'scan.started').map((line) => line.fields['reason']);
    expect(starts).toEqual(['startup', 'schedule']);
    expect(engine.logger.lines.find((line) => line.event === 'scan.queued')?.fields).toMatchObject({ reason: 'schedule', after: 'scan' });
  });
});

// The send window through the real engine: reminders recorded at night wait in the outbox for the window's opening and
// go out through the retry path then; the expired alert and the smallest threshold go at once unless configured.
import { once } from 'node:events';
import { DateTime } from 'luxon';
import { Daemon } from '../../src/daemon/daemon';
import { Lease } from '../../src/store/lease';
import { deliverDue } from '../../src/engine/deliver';
import { scan } from '../../src/engine/scan';
import { DEFAULT_BYPASS, parseBypass, parseDailyHours, parseWeekdays, type SendWindowPolicy } from '../../src/domain/send-window';
import { silentLogger } from '../../src/log';
import { tokenInput, useEngineHarness } from '../support/engine';
import { createEngine } from '../../src/engine/engine';

const office = (bypass = 'expired,smallest', days = 'mon-sun'): SendWindowPolicy => ({
  window: { hours: parseDailyHours('08:00-18:00', 'w'), days: parseWeekdays(days, 'd') },
  bypass: bypass === 'expired,smallest' ? DEFAULT_BYPASS : parseBypass(bypass, 'b'),
});

describe('the send window', () => {
  const h = useEngineHarness();

  const retry = () =>
    deliverDue(h.engine.deps);
  const subjects = (): string[] => h.smtp.messages.map((m) => m.subject).sort();
  /** The alert and token of each message received, in order: `EXPIRED Gone`, `30 Later`… (independent of wording). */
  const arrivals = (): string[] =>
    h.smtp.messages.map((m) => `${m.subject.includes('EXPIRED') ? 'EXPIRED' : 'reminder'} ${/"([^"]+)"/.exec(m.subject)?.[1] ?? m.subject}`);

  it('holds a 30-day reminder due at 03:00 until 08:00 while the expired alert and the 7-day reminder go at once', async () => {
    h.open({ mailTo: ['ops@example.test'], start: '2027-01-05T03:00', sendWindow: office() });
    h.engine.tokens.add(tokenInput('Later', '2027-01-25T10:00'), h.engine.clock.now());
    h.engine.tokens.add(tokenInput('Gone', '2027-01-04T10:00'), h.engine.clock.now());
    h.engine.tokens.add(tokenInput('Soon', '2027-01-09T10:00'), h.engine.clock.now());

    const report = await scan(h.engine.deps);
    expect(report.delivery).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(arrivals().sort()).toEqual(['EXPIRED Gone', 'reminder Soon']);
    const waiting = report.planned.find((p) => p.token === 'Later');
    expect(waiting?.waitsUntil?.toMillis()).toBe(DateTime.fromISO('2027-01-05T08:00', { zone: 'Europe/Paris' }).toMillis());
    expect(report.planned.filter((p) => p.waitsUntil !== undefined)).toHaveLength(1);
    const [row] = h.engine.outbox.history('Later');
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(h.engine.outbox.nextAttemptAt()?.toMillis()).toBe(waiting?.waitsUntil?.toMillis());

    // A second night scan neither sends nor queues it again; the retry pass waits for the window.
    h.engine.clock.set('2027-01-05T05:00');
    expect((await scan(h.engine.deps)).planned).toHaveLength(0);
    h.engine.clock.set('2027-01-05T07:59:59');
    expect((await retry()).sent).toBe(0);
    h.engine.clock.set('2027-01-05T08:00');
    expect((await retry()).sent).toBe(1);
    expect(h.smtp.messages).toHaveLength(3);
    expect(arrivals()[2]).toBe('reminder Later');
    expect(h.smtp.messages[2]?.subject).toContain('20 days');
    expect((await retry()).sent).toBe(0);
  });

  it('sends at once what is recorded inside the window', async () => {
    h.open({ mailTo: ['ops@example.test'], start: '2027-01-05T09:00', sendWindow: office() });
    h.engine.tokens.add(tokenInput('Later', '2027-01-25T10:00'), h.engine.clock.now());
    expect((await scan(h.engine.deps)).delivery.sent).toBe(1);
  });

  it('holds the weekend\'s reminders until Monday morning with a weekdays-only window', async () => {
    h.open({ mailTo: ['ops@example.test'], start: '2027-01-09T09:00', sendWindow: office('expired,smallest', 'mon-fri') });
    h.engine.tokens.add(tokenInput('Later', '2027-02-25T10:00'), h.engine.clock.now()); // Saturday: t60
    await scan(h.engine.deps);
    expect(h.engine.outbox.nextAttemptAt()?.setZone('Europe/Paris').toISO()).toBe('2027-01-11T08:00:00.000+01:00');
    h.engine.clock.set('2027-01-10T12:00');
    expect((await retry()).sent).toBe(0);
    h.engine.clock.set('2027-01-11T08:00');
    expect((await retry()).sent).toBe(1);
    // Recorded on Saturday with 47 days left; it counts the days on Monday, when it goes out.
    expect(h.smtp.messages[0]?.subject).toContain('expires in 45 days');
    expect(h.smtp.messages[0]?.text).toContain('in 45 days');
    expect(h.smtp.messages[0]?.text).not.toContain('47 days');
  });

  it('holds even the expired alert when nothing bypasses the window', async () => {
    h.open({ mailTo: ['ops@example.test'], start: '2027-01-05T03:00', sendWindow: office('none') });
    h.engine.tokens.add(tokenInput('Gone', '2027-01-04T10:00'), h.engine.clock.now());
    expect((await scan(h.engine.deps)).delivery.sent).toBe(0);
    h.engine.clock.set('2027-01-05T08:00');
    expect((await retry()).sent).toBe(1);
  });

  it('sends the reminders that waited for the window as one digest at its opening', async () => {
    h.open({ mailTo: ['ops@example.test'], start: '2027-01-05T03:00', sendWindow: office() });
    for (let i = 0; i < 5; i += 1) h.engine.tokens.add(tokenInput(`Shop ${i}`, `2027-01-2${i}T10:00`), h.engine.clock.now());
    await scan(h.engine.deps);
    expect(h.smtp.messages).toHaveLength(0);
    h.engine.clock.set('2027-01-05T08:00');
    expect((await retry()).sent).toBe(5);
    expect(subjects()).toEqual(['[tokenwatch] 5 tokens to renew: 5 act now']);
  });

  it('has the daemon send a reminder that waited for the window by its retry pass when the window opens', async () => {
    h.open({ mailTo: ['ops@example.test'], start: '2027-01-05T03:00', sendWindow: office() });
    h.engine.tokens.add(tokenInput('Later', '2027-01-25T10:00'), h.engine.clock.now());
    h.engine.tokens.add(tokenInput('Gone', '2027-01-04T10:00'), h.engine.clock.now());
    const daemon = new Daemon({
      engine: createEngine(h.engine.deps),
      lease: new Lease(h.engine.db, 'host:1:window', 60_000_000),
      schedule: '0 9 * * *',
      zone: 'Europe/Paris',
      clock: h.engine.clock,
      logger: silentLogger,
      heartbeatMs: 20,
      retryCheckMs: 20,
    });
    try {
      const scanned = once(daemon, 'scan:done');
      daemon.start();
      await scanned;
      expect(arrivals()).toEqual(['EXPIRED Gone']);
      h.engine.clock.set('2027-01-05T08:00');
      for (let sent = 0; sent === 0; ) [sent] = (await once(daemon, 'retry:done')) as [number];
      expect(arrivals()).toEqual(['EXPIRED Gone', 'reminder Later']);
    } finally {
      await daemon.stop();
    }
  });
});

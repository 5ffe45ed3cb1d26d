// The engine facade (scan, dryRun, deliverDue, retry) on a real SQLite file and a real SMTP server: what each entrance records and sends.
import { createEngine, type Engine } from '../../src/engine/engine';
import { NO_CLAIMS } from '../../src/engine/send-claims';
import { silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { openEngine, tokenInput, type TestEngine } from '../support/engine';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('the engine facade', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let email: Channel;
  let harness: TestEngine;
  let engine: Engine;

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    email = createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: false, logger: silentLogger });
    harness = openEngine(dir, new Map([['email', email]]), { mailTo: ['ops@example.test'], start: '2027-06-01T09:00' });
    engine = createEngine(harness.deps);
  });
  afterEach(async () => {
    harness.close();
    await email.close();
    await smtp.close();
    removeDir(dir);
  });

  it('shows in a dry run what a scan would queue, and records nothing', () => {
    harness.tokens.add(tokenInput('Acme', '2027-06-20T10:00'), harness.clock.now());
    const planned = engine.dryRun();
    expect(planned.map((p) => [p.token, p.alert, p.routes])).toEqual([['Acme', 't30', [{ channel: 'email', recipient: 'ops@example.test' }]]]);
    expect(harness.outbox.history()).toEqual([]);
    expect(harness.outbox.nextAttemptAt()).toBeNull();
  });

  it('queues and sends what is due in a scan, once', async () => {
    harness.tokens.add(tokenInput('Acme', '2027-06-20T10:00'), harness.clock.now());
    const report = await engine.scan();
    expect(report.planned.map((p) => p.alert)).toEqual(['t30']);
    expect(report.delivery.sent).toBe(1);
    expect(smtp.messages.map((m) => m.envelopeTo)).toEqual([['ops@example.test']]);
    expect((await engine.scan()).planned).toEqual([]);
    expect(smtp.messages).toHaveLength(1);
  });

  it('sends nothing from an engine that holds no lease, and leaves the reminder queued', async () => {
    harness.tokens.add(tokenInput('Acme', '2027-06-20T10:00'), harness.clock.now());
    const report = await engine.scan({ claims: NO_CLAIMS });
    expect(report.planned).toHaveLength(1);
    expect(report.delivery).toMatchObject({ sent: 0, leaseLost: true });
    expect(smtp.messages).toEqual([]);
    expect((await engine.deliverDue()).sent).toBe(1);
    expect(smtp.messages).toHaveLength(1);
  });

  it('routes a reminder that had no recipient once the token has one, and the next delivery pass sends it', async () => {
    const nobody = createEngine({ ...harness.deps, settings: { ...harness.deps.settings, routing: { mailTo: [], slackChannel: null } } });
    harness.tokens.add(tokenInput('Acme', '2027-06-20T10:00'), harness.clock.now());
    expect((await nobody.scan()).delivery.failed).toBe(1);
    expect(nobody.retry()).toEqual({ queued: 0, stillUnrouted: 1 });
    harness.tokens.edit('Acme', { email: ['owner@acme.example'] }, harness.clock.now());
    expect(nobody.retry('Acme')).toEqual({ queued: 1, stillUnrouted: 0 });
    expect(nobody.nextAttemptAt()?.toMillis()).toBe(harness.clock.now().toMillis());
    expect((await nobody.deliverDue()).sent).toBe(1);
    expect(smtp.messages.map((m) => m.envelopeTo)).toEqual([['owner@acme.example']]);
  });

  it('routes an unrouted 7-day reminder to the escalation contacts too, once the token has them', async () => {
    const nobody = createEngine({ ...harness.deps, settings: { ...harness.deps.settings, routing: { mailTo: [], slackChannel: null } } });
    harness.tokens.add(tokenInput('Acme', '2027-06-05T10:00'), harness.clock.now());
    expect((await nobody.scan()).planned.map((p) => p.alert)).toEqual(['t7']);
    harness.tokens.edit('Acme', { email: ['owner@acme.example'], escalateEmail: ['boss@acme.example', 'owner@acme.example'] }, harness.clock.now());
    expect(nobody.retry('Acme')).toEqual({ queued: 2, stillUnrouted: 0 });
    expect((await nobody.deliverDue()).sent).toBe(2);
    expect(smtp.messages.map((m) => m.envelopeTo.join()).sort()).toEqual(['boss@acme.example', 'owner@acme.example']);
  });
});

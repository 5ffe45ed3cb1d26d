// Two daemons on one database file: only the lease holder sends; the other waits, says so, and takes over when the
// first stops. Real SQLite connections, a real SMTP server, an injected clock.
import { once } from 'node:events';
import { Daemon } from '../../src/daemon/daemon';
import { Lease } from '../../src/store/lease';
import { silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { openEngine, tokenInput, type TestEngine } from '../support/engine';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { createEngine } from '../../src/engine/engine';

describe('two daemons on one database', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let email: Channel;
  const engines: TestEngine[] = [];
  const daemons: Daemon[] = [];

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    email = createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: false, logger: silentLogger });
  });
  afterEach(async () => {
    for (const daemon of daemons.splice(0)) await daemon.stop();
    for (const engine of engines.splice(0)) engine.close();
    await email.close();
    await smtp.close();
    removeDir(dir);
  });

  function daemonOn(holder: string): { daemon: Daemon; engine: TestEngine } {
    const engine = openEngine(dir, new Map([['email', email]]), { mailTo: ['ops@example.test'] });
    engine.clock.set('2027-01-10T09:00');
    const daemon = new Daemon({
      engine: createEngine(engine.deps),
      lease: new Lease(engine.db, holder, 10_000),
      schedule: '0 9 * * *',
      zone: 'Europe/Paris',
      clock: engine.clock,
      logger: silentLogger,
      heartbeatMs: 30,
      retryCheckMs: 30,
    });
    engines.push(engine);
    daemons.push(daemon);
    return { daemon, engine };
  }

  it('lets only the lease holder send while a second daemon waits, and the second take over when the first stops', async () => {
    const a = daemonOn('host-a:1:a');
    const b = daemonOn('host-b:2:b');
    a.engine.tokens.add(tokenInput('First', '2027-01-15T10:00'), a.engine.clock.now());
    a.engine.tokens.add(tokenInput('Second', '2027-02-01T10:00'), a.engine.clock.now());

    const scanned = once(a.daemon, 'scan:done');
    const waiting = once(b.daemon, 'lease:waiting');
    const acquired = once(a.daemon, 'lease:acquired');
    a.daemon.start();
    await acquired;
    b.daemon.start();
    expect(await waiting).toEqual(['host-a:1:a']);
    await scanned;
    await smtp.waitForMessages(2);

    // A token added while B waits: B sends nothing for it, A is still the sender.
    b.engine.tokens.add(tokenInput('Third', '2027-01-20T10:00'), b.engine.clock.now());
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(smtp.messages).toHaveLength(2);

    const takenOver = once(b.daemon, 'scan:done');
    await a.daemon.stop();
    await takenOver;
    await smtp.waitForMessages(3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
      '[tokenwatch] VPP token "First" expires in 5 days (2027-01-15)',
      '[tokenwatch] VPP token "Second" expires in 22 days (2027-02-01)',
      '[tokenwatch] VPP token "Third" expires in 10 days (2027-01-20)',
    ]);
  });

  it('never lets two daemons hold the lease at once, however they race', async () => {
    const contenders = [daemonOn('h:1:a'), daemonOn('h:2:b'), daemonOn('h:3:c')];
    contenders[0]?.engine.tokens.add(tokenInput('Raced', '2027-01-15T10:00'), contenders[0].engine.clock.now());
    const acquired: string[] = [];
    for (const [index, { daemon }] of contenders.entries()) daemon.on('lease:acquired', () => acquired.push(String(index)));
    for (const { daemon } of contenders) daemon.start();
    await smtp.waitForMessages(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(acquired).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
  });
});

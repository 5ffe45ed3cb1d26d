// One sender per database, as separate processes of the built binary: two scans, a scan then a daemon, a daemon then a
// scan, and a holder paused (SIGSTOP) past its lease. A real SMTP server holds each message before accepting it, so a
// pass outlives the lease many times over; every reminder must arrive exactly once (docs/reliability.md).
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { runTokenwatch, startTokenwatch, type RunningProcess } from '../support/process';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const ZONE = 'Europe/Paris';
const TOKEN_COUNT = 24;
/**
 * How long the server holds each message: 24 of them take over 8 s, against a lease of 2 s, which leaves the second
 * process several seconds to start while the first one still sends, even on a loaded machine.
 */
const SMTP_DELAY_MS = 350;
const LEASE_SECONDS = 2;
/** Past the lease: had the first process not renewed it, the second would take it over. */
const PAST_THE_LEASE_MS = LEASE_SECONDS * 1000 + 700;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const SENT = /"event":"delivery\.sent"/;

describe('one sender per database, across processes', () => {
  let dir: string;
  let env: Record<string, string>;
  let smtp: SmtpReceiver;
  const started: RunningProcess[] = [];

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver({ delayMs: SMTP_DELAY_MS });
    env = {
      TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
      TOKENWATCH_TZ: ZONE,
      TOKENWATCH_SMTP_URL: smtp.url,
      TOKENWATCH_MAIL_TO: 'ops@example.test',
      TOKENWATCH_DIGEST_MIN: '0',
      TOKENWATCH_LOG_LEVEL: 'info',
      TOKENWATCH_LEASE_SECONDS: String(LEASE_SECONDS),
      // Never due during a test: the daemon scans at start-up only.
      TOKENWATCH_SCHEDULE: '0 3 1 1 *',
    };
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const csv = path.join(dir, 'tokens.csv');
    const rows = Array.from({ length: TOKEN_COUNT }, (_, i) => `Sender ${String(i + 1).padStart(2, '0')},${today.plus({ days: i + 1 }).toISODate() ?? ''}`);
    fs.writeFileSync(csv, ['name,expires', ...rows].join('\n'));
    expect(await runTokenwatch(['import', '--csv', csv], env, dir)).toMatchObject({ code: 0 });
  });
  afterEach(async () => {
    for (const child of started.splice(0)) {
      if (child.child.exitCode === null && child.child.signalCode === null) {
        child.child.kill('SIGCONT');
        child.child.kill('SIGKILL');
        await child.exited;
      }
    }
    await smtp.close();
    removeDir(dir);
  });

  function start(args: readonly string[]): RunningProcess {
    const child = startTokenwatch(args, env, dir);
    started.push(child);
    return child;
  }

  /** Every token's reminder arrived, each exactly once, and nothing more comes. */
  async function expectEachReminderOnce(): Promise<void> {
    await smtp.waitForMessages(TOKEN_COUNT, 20_000);
    await sleep(SMTP_DELAY_MS + 300);
    const tokens = smtp.messages.map((mail) => /"([^"]+)"/.exec(mail.subject)?.[1] ?? mail.subject).sort();
    expect(tokens).toEqual(Array.from({ length: TOKEN_COUNT }, (_, i) => `Sender ${String(i + 1).padStart(2, '0')}`));
  }

  it('refuses a second scan while the first one sends past its lease, naming it, and sends each reminder once', async () => {
    const first = start(['scan']);
    await first.waitFor(SENT);
    await sleep(PAST_THE_LEASE_MS);
    // The first scan is still sending: its lease would have lapsed by now had it not been renewed.
    expect(first.child.exitCode).toBeNull();
    const second = await runTokenwatch(['scan'], env, dir);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`a "tokenwatch scan" (pid ${first.child.pid ?? '?'} on `);
    expect(second.stderr).toMatch(/, since \d{4}-\d\d-\d\dT[\d:.]+Z\) is sending for /);
    expect(await first.exited).toBe(0);
    await expectEachReminderOnce();
  });

  it('keeps a daemon started during a long scan waiting until the scan ends; each reminder arrives once', async () => {
    const scan = start(['scan']);
    await scan.waitFor(SENT);
    await sleep(PAST_THE_LEASE_MS);
    expect(scan.child.exitCode).toBeNull();
    const daemon = start(['daemon']);
    await daemon.waitFor(/"event":"lease\.waiting"/);
    expect(await scan.exited).toBe(0);
    // The scan let go of the lease: the daemon takes it and scans, finding nothing left to send.
    await daemon.waitFor(/"event":"scan\.done"/);
    expect(daemon.stderr()).not.toMatch(SENT);
    await expectEachReminderOnce();
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });

  it('refuses a scan while the daemon sends past its lease, naming the daemon; each reminder arrives once', async () => {
    const daemon = start(['daemon']);
    await daemon.waitFor(SENT);
    await sleep(PAST_THE_LEASE_MS);
    expect(smtp.messages.length).toBeLessThan(TOKEN_COUNT);
    const scan = await runTokenwatch(['scan'], env, dir);
    expect(scan.code).toBe(1);
    expect(scan.stderr).toContain(`a daemon (pid ${daemon.child.pid ?? '?'} on `);
    await expectEachReminderOnce();
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });

  it('lets a scan take over from a holder paused past its lease; the paused one, resumed, stops before its next send and says so', async () => {
    const paused = start(['scan']);
    await paused.waitFor(SENT);
    // Pause it while the server holds its next message: it then only waits on the socket. A SIGSTOP landing inside one
    // of its database transactions would keep SQLite's write lock, which no lease can take over.
    await smtp.waitForData(smtp.messages.length + 1, 10_000);
    paused.child.kill('SIGSTOP');
    const sentBeforePause = smtp.messages.length;
    await sleep(PAST_THE_LEASE_MS);
    const takeover = await runTokenwatch(['scan'], env, dir);
    expect(takeover.stderr).toMatch(SENT);
    paused.child.kill('SIGCONT');
    expect(await paused.exited).toBe(1);
    expect(paused.stderr()).toMatch(/lost the sending lease to a "tokenwatch scan" \(pid \d+ on .*\); stopped before the next send/);
    expect(paused.stderr()).toMatch(/"event":"delivery\.lease_lost"/);
    // The paused scan sent no new message after it resumed (one it was waiting on the server for may complete).
    await expectEachReminderOnce();
    expect(sentBeforePause).toBeGreaterThan(0);
  });
});

// A digest caught by a crash: the daemon is killed (SIGKILL) after the SMTP server has the digest's data but before
// it learns the message was accepted. What README "Reliability" promises for a single reminder holds for a digest:
// the next daemon sends the whole digest once more (every token in it, once), and nothing after that.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { runTokenwatch, startTokenwatch, type RunningProcess } from '../support/process';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const ZONE = 'Europe/Paris';
const NAMES = ['Digest A', 'Digest B', 'Digest C', 'Digest D', 'Digest E'];
/** The first server holds its reply this long after the data: the daemon dies inside that window. */
const HOLD_MS = 3000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the registry (read-only, beside the daemon's connection) until `query` returns a non-zero count. */
async function waitForCount(dbPath: string, query: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(dbPath)) {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare(query).get() as { n: number } | undefined;
        if ((row?.n ?? 0) > 0) return;
      } catch {
        // The table may not exist yet while the daemon migrates.
      } finally {
        db.close();
      }
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${query}`);
    await sleep(20);
  }
}

function outboxStatuses(dbPath: string): { status: string; digest: number | null }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT status, digest_id AS digest FROM outbox ORDER BY id`).all() as { status: string; digest: number | null }[];
  } finally {
    db.close();
  }
}

describe('a digest caught by a crash', () => {
  let dir: string;
  let dbPath: string;
  let holding: SmtpReceiver;
  let prompt: SmtpReceiver;
  let daemon: RunningProcess | null = null;

  beforeEach(async () => {
    dir = makeTempDir();
    dbPath = path.join(dir, 'data', 'tokenwatch.db');
    holding = await startSmtpReceiver({ delayMs: HOLD_MS });
    prompt = await startSmtpReceiver();
  });
  afterEach(async () => {
    daemon?.child.kill('SIGKILL');
    if (daemon !== null) await daemon.exited;
    daemon = null;
    await holding.close();
    await prompt.close();
    removeDir(dir);
  });

  const envFor = (receiver: SmtpReceiver): Record<string, string> => ({
    TOKENWATCH_DB: dbPath,
    TOKENWATCH_TZ: ZONE,
    TOKENWATCH_SMTP_URL: receiver.url,
    TOKENWATCH_MAIL_TO: 'ops@example.test',
    TOKENWATCH_DIGEST_MIN: '3',
    TOKENWATCH_LOG_LEVEL: 'info',
    TOKENWATCH_LEASE_SECONDS: '2',
  });

  it('is sent whole once more by the next daemon, with every token once, and then never again', async () => {
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, ['name,expires', ...NAMES.map((name, i) => `${name},${today.plus({ days: 10 + i }).toISODate() ?? ''}`)].join('\n'));
    expect(await runTokenwatch(['import', '--csv', csv], envFor(holding), dir)).toMatchObject({ code: 0, stderr: '' });

    // First daemon: it records the digest, hands its data to the server, and dies before the server's reply.
    daemon = startTokenwatch(['daemon'], envFor(holding), dir);
    await waitForCount(dbPath, 'SELECT count(*) AS n FROM digests');
    await sleep(500);
    daemon.child.kill('SIGKILL');
    expect(await daemon.exited).toBe('SIGKILL');
    daemon = null;
    const [first] = await holding.waitForMessages(1, HOLD_MS + 5000);
    expect(first?.subject).toMatch(/^\[tokenwatch\] 5 tokens to renew/);
    // The server has it; the registry does not know: every row of the digest is still pending.
    expect(outboxStatuses(dbPath)).toEqual(NAMES.map(() => ({ status: 'pending', digest: expect.any(Number) })));

    // Second daemon (the first's lease is released at once: a dead process on this host): the digest goes again.
    daemon = startTokenwatch(['daemon'], envFor(prompt), dir);
    const [again] = await prompt.waitForMessages(1, 15_000);
    await daemon.waitFor(/"event":"(digest\.sent|retry\.done|scan\.done)"/);
    await waitForCount(dbPath, `SELECT count(*) AS n FROM outbox WHERE status = 'sent'`);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    daemon = null;
    expect(again?.subject).toBe(first?.subject);
    for (const name of NAMES) expect(again?.text.split(name).length).toBe(2);
    expect(outboxStatuses(dbPath).map((row) => row.status)).toEqual(NAMES.map(() => 'sent'));

    // Nothing more: a later scan finds nothing to send, and no server got a third copy.
    const scan = await runTokenwatch(['scan'], envFor(prompt), dir);
    expect(scan.code).toBe(0);
    await sleep(200);
    expect(holding.messages).toHaveLength(1);
    expect(prompt.messages).toHaveLength(1);
  });
});

// The daemon killed hard (SIGKILL) at random moments during scans and sends, many times in a row, with a real SMTP
// server counting what arrives. Runs the built binary as a separate process on the real clock.
//
// What a crash may cost, and nothing more (README "Reliability"): a message the server accepted but whose outbox row
// was not yet marked sent is sent again by the next daemon, once per crash that caught it there. The test tracks those
// in-doubt messages after every kill, so it can demand an exact count per (recipient, token) instead of a loose bound.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { runTokenwatch, startTokenwatch, type RunningProcess } from '../support/process';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

const ZONE = 'Europe/Paris';
const RECIPIENTS = ['ops@example.test', 'backup@example.test'] as const;
const TOKEN_COUNT = 50;
const CRASHES = 12;
/**
 * When to kill. Start-up speed varies with the machine's load, so kills are timed from events the daemon logs. While
 * some token is still undecided, kills are timed from the start of the scan, which records decisions token by token
 * for ~100 ms: they cut it part-way. Then most are timed from the moment the daemon holds the lease (its scan takes a
 * few hundred ms, then each send ~40 ms), and the others from the spawn (database, migrations, lease take-over).
 */
const KILL = { afterScanStartMs: [0, 250], startupShare: 0.25, afterSpawnMs: [20, 500], afterLeaseMs: [0, 900] } as const;
type KillMode = 'scan' | 'spawn' | 'lease';
const KILL_EVENTS: Record<KillMode, RegExp | null> = {
  scan: /"event":"scan\.started"/,
  spawn: null,
  lease: /"event":"lease\.acquired"/,
};
/** How long the SMTP server holds each message before accepting it: the window where a kill leaves it in doubt. */
const SMTP_DELAY_MS = 30;
/** After a kill: time for data the dead client already wrote to be accepted (and counted) by the server. */
const SETTLE_MS = SMTP_DELAY_MS + 200;

/** mulberry32: a small seeded PRNG, so that a failing run's kill moments can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until what a dead client already wrote has been counted: SETTLE_MS, then until no message arrives for 100 ms. */
async function settle(receiver: SmtpReceiver): Promise<void> {
  await sleep(SETTLE_MS);
  for (let seen = -1; seen !== receiver.messages.length; ) {
    seen = receiver.messages.length;
    await sleep(100);
  }
}

/** `recipient|token name`: one expected delivery. */
type PairKey = string;
const pairKey = (recipient: string, token: string): PairKey => `${recipient}|${token}`;

/** Which delivery a received message is, or null when it is not a single-recipient reminder for a named token. */
function pairOf(mail: ReceivedMail): PairKey | null {
  const token = /"([^"]+)"/.exec(mail.subject)?.[1];
  const [recipient, ...others] = mail.envelopeTo;
  if (token === undefined || recipient === undefined || others.length > 0) return null;
  return pairKey(recipient, token);
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

interface OutboxRow {
  token_id: number;
  token_name: string;
  alert: string;
  recipient: string;
  status: string;
}

interface DatabaseCheck {
  readonly integrity: unknown;
  /** Broken invariants of the outbox and the decision table, as sentences (empty when consistent). */
  readonly problems: string[];
  readonly rows: OutboxRow[];
  /** How many tokens have their reminder decided (queued) so far. */
  readonly decidedTokens: number;
}

function pendingRows(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Reads the database the way a crash left it: SQLite's own integrity check, plus the invariants `Outbox.record`
 * keeps in one transaction (a token is either undecided with no outbox row, or has one queued alert with one row
 * per recipient) and the fact that nothing is refused in this test (no row may be failed).
 */
function checkDatabase(dbPath: string): DatabaseCheck {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const rows = db.prepare('SELECT token_id, token_name, alert, recipient, status FROM outbox ORDER BY id').all() as OutboxRow[];
    const queued = db.prepare(`SELECT token_id, alert FROM reminder_decisions WHERE status = 'queued'`).all() as { token_id: number; alert: string }[];
    const problems: string[] = [];
    const queuedByToken = new Map<number, string[]>();
    for (const decision of queued) queuedByToken.set(decision.token_id, [...(queuedByToken.get(decision.token_id) ?? []), decision.alert]);
    for (const [tokenId, alerts] of queuedByToken) {
      if (alerts.length !== 1) problems.push(`token ${tokenId} has ${alerts.length} queued alerts (${alerts.join(', ')})`);
      const recipients = rows.filter((row) => row.token_id === tokenId && row.alert === alerts[0]).map((row) => row.recipient).sort();
      if (recipients.join(',') !== [...RECIPIENTS].sort().join(',')) {
        problems.push(`token ${tokenId} alert ${alerts[0] ?? '?'} has outbox rows for [${recipients.join(', ')}]`);
      }
    }
    for (const row of rows) {
      if (!queuedByToken.has(row.token_id)) problems.push(`outbox row for "${row.token_name}" ${row.recipient} has no queued decision`);
      if (row.status !== 'pending' && row.status !== 'sent') problems.push(`outbox row for "${row.token_name}" ${row.recipient} is ${row.status}`);
    }
    return { integrity, problems, rows, decidedTokens: queuedByToken.size };
  } finally {
    db.close();
  }
}

describe('the daemon in a crash loop', () => {
  let dir: string;
  let dbPath: string;
  let env: Record<string, string>;
  let receiver: SmtpReceiver;
  let daemon: RunningProcess | null = null;

  beforeEach(async () => {
    dir = makeTempDir();
    dbPath = path.join(dir, 'data', 'tokenwatch.db');
    receiver = await startSmtpReceiver({ delayMs: SMTP_DELAY_MS });
    env = {
      TOKENWATCH_DB: dbPath,
      TOKENWATCH_TZ: ZONE,
      TOKENWATCH_SMTP_URL: receiver.url,
      TOKENWATCH_MAIL_TO: RECIPIENTS.join(','),
      // One message per (recipient, token), so that every arrival can be counted against its outbox row.
      TOKENWATCH_DIGEST_MIN: '0',
      TOKENWATCH_LOG_LEVEL: 'info',
      TOKENWATCH_LEASE_SECONDS: '2',
      TOKENWATCH_RETRY_BASE_SECONDS: '1',
      TOKENWATCH_RETRY_MAX_SECONDS: '2',
      TOKENWATCH_SCHEDULE: '*/1 * * * * *',
    };
  });
  afterEach(async () => {
    daemon?.child.kill('SIGKILL');
    if (daemon !== null) await daemon.exited;
    daemon = null;
    await receiver.close();
    removeDir(dir);
  });

  it('delivers every due reminder, repeats one only when a kill caught it between acceptance and being marked sent, and keeps the database consistent', async () => {
    const seed = Number(process.env['CRASH_LOOP_SEED'] ?? Math.floor(Math.random() * 4_294_967_296));
    const random = seededRandom(seed);
    const journal: string[] = [];
    try {
      // Tokens expiring 1 to 50 days from today: each has exactly one reminder due now (its most urgent threshold).
      const today = DateTime.now().setZone(ZONE).startOf('day');
      const names = Array.from({ length: TOKEN_COUNT }, (_, i) => `Crash ${String(i + 1).padStart(2, '0')}`);
      const csv = path.join(dir, 'tokens.csv');
      fs.writeFileSync(csv, ['name,expires', ...names.map((name, i) => `${name},${today.plus({ days: i + 1 }).toISODate() ?? ''}`)].join('\n'));
      expect(await runTokenwatch(['import', '--csv', csv], env, dir)).toMatchObject({ code: 0, stderr: '' });
      const expected = new Set(names.flatMap((name) => RECIPIENTS.map((recipient) => pairKey(recipient, name))));

      // Deliveries a crash left accepted by the server but not marked sent: each may arrive once more.
      const inDoubt = new Map<PairKey, number>();
      const inDoubtPerCrash: number[] = [];
      let decidedTokens = 0;
      for (let crash = 1; crash <= CRASHES; crash += 1) {
        const mode: KillMode = decidedTokens < TOKEN_COUNT ? 'scan' : random() < KILL.startupShare ? 'spawn' : 'lease';
        const [min, max] = mode === 'scan' ? KILL.afterScanStartMs : mode === 'spawn' ? KILL.afterSpawnMs : KILL.afterLeaseMs;
        const killAfterMs = min + Math.floor(random() * (max - min));
        const before = receiver.messages.length;
        daemon = startTokenwatch(['daemon'], env, dir);
        const event = KILL_EVENTS[mode];
        if (event !== null) await daemon.waitFor(event);
        await sleep(killAfterMs);
        daemon.child.kill('SIGKILL');
        // The daemon never ends on its own: a crash loop of its own making would show here as an exit code.
        expect(await daemon.exited).toBe('SIGKILL');
        const log = daemon.stderr();
        daemon = null;
        await settle(receiver);

        const check = checkDatabase(dbPath);
        expect(check.integrity).toBe('ok');
        expect(check.problems).toEqual([]);
        decidedTokens = check.decidedTokens;
        const pending = new Set(check.rows.filter((row) => row.status === 'pending').map((row) => pairKey(row.recipient, row.token_name)));
        const arrived = receiver.messages.slice(before).map(pairOf);
        const caught = arrived.filter((pair): pair is PairKey => pair !== null && pending.has(pair));
        for (const pair of caught) inDoubt.set(pair, (inDoubt.get(pair) ?? 0) + 1);
        inDoubtPerCrash.push(caught.length);
        const phase = log.includes('"event":"delivery.sent"') || arrived.length > 0
          ? 'sending'
          : log.includes('"event":"scan.started"')
            ? 'scanning'
            : 'starting';
        const when = `${killAfterMs} ms after ${mode === 'scan' ? 'scan start' : mode}`;
        journal.push(
          `crash ${crash}, ${when} (${phase}): ${decidedTokens}/${TOKEN_COUNT} decided, ${arrived.length} arrived, in doubt [${caught.join('; ')}]`,
        );
      }
      // Sends are one at a time per channel (and only email is configured): a crash catches at most one in flight.
      expect(inDoubtPerCrash.filter((count) => count > 1)).toEqual([]);

      daemon = startTokenwatch(['daemon'], env, dir);
      // Stopped only once it runs: a signal while Node is still loading the program ends it by the signal, not cleanly.
      await daemon.waitFor(/"event":"scan\.started"/, 20_000);
      const deadline = Date.now() + 30_000;
      const missingNow = (): PairKey[] => {
        const seen = new Set(receiver.messages.map(pairOf));
        return [...expected].filter((pair) => !seen.has(pair));
      };
      // Done when every delivery has arrived and the outbox holds nothing more (the last crash's in-doubt one is resent).
      while ((missingNow().length > 0 || pendingRows(dbPath) > 0) && Date.now() < deadline) await sleep(50);
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
      daemon = null;
      await settle(receiver);

      const received = receiver.messages.map(pairOf);
      const counts = countBy(received.filter((pair): pair is PairKey => pair !== null));
      const duplicates = [...counts].filter(([, count]) => count > 1).map(([pair, count]) => `${pair} x${count}`);
      journal.push(`final run: ${received.length} messages for ${expected.size} deliveries; duplicates [${duplicates.join('; ')}]`);
      console.log(`crash loop (seed ${seed}):\n${journal.join('\n')}`);

      expect(missingNow()).toEqual([]);
      expect(receiver.messages.filter((mail) => !expected.has(pairOf(mail) ?? '')).map((mail) => `${mail.envelopeTo.join(',')}: ${mail.subject}`)).toEqual([]);
      // Exactly once, plus one repeat per crash that caught the message in doubt; so twice at most when no two
      // kills caught the same message (the "none more than twice").
      const wrongCounts = [...expected]
        .map((pair) => ({ pair, arrived: counts.get(pair) ?? 0, shouldArrive: 1 + (inDoubt.get(pair) ?? 0) }))
        .filter(({ arrived, shouldArrive }) => arrived !== shouldArrive);
      expect(wrongCounts).toEqual([]);
      const caughtTwice = [...inDoubt].filter(([, crashes]) => crashes > 1).map(([pair]) => pair);
      expect([...counts].filter(([pair, count]) => count > 2 && !caughtTwice.includes(pair))).toEqual([]);

      const final = checkDatabase(dbPath);
      expect(final.integrity).toBe('ok');
      expect(final.problems).toEqual([]);
      const history = await runTokenwatch(['history', '--json', '--limit', '1000'], env, dir);
      expect(history.code).toBe(0);
      const entries = JSON.parse(history.stdout) as { token: string; recipient: string; status: string }[];
      expect(entries).toHaveLength(expected.size);
      expect(entries.filter((entry) => entry.status !== 'sent')).toEqual([]);
      expect(new Set(entries.map((entry) => pairKey(entry.recipient, entry.token)))).toEqual(expected);
    } catch (error) {
      // Name the seed so that the same kill moments can be replayed: CRASH_LOOP_SEED=<seed> npx jest crash-loop.
      if (error instanceof Error) error.message = `crash loop seed ${seed} (replay with CRASH_LOOP_SEED=${seed})\n${journal.join('\n')}\n\n${error.message}`;
      throw error;
    }
  }, 60_000);
});

// Per-row claims in the outbox: a row is claimed under the sending lease just before it is sent, so that two
// processes can never both send it, even when both believe they hold the lease. Real SQLite files, two connections.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Lease, newHolderId } from '../../src/store/lease';
import { openDatabase, type Db } from '../../src/store/database';
import { Outbox, type Claimant, type OutboxEntry } from '../../src/store/outbox';
import { TokenRepository } from '../../src/store/token-repository';
import { tokenInput } from '../support/engine';
import { makeTempDir, removeDir } from '../support/temp-dir';

const t0 = DateTime.fromISO('2027-01-10T08:00:00Z', { zone: 'utc' });
const TTL = 30_000;

describe('claiming outbox rows before sending them', () => {
  let dir: string;
  let first: Db;
  let second: Db;
  let rows: OutboxEntry[];

  beforeEach(() => {
    dir = makeTempDir();
    first = openDatabase(path.join(dir, 'tokenwatch.db'));
    second = openDatabase(path.join(dir, 'tokenwatch.db'));
    const tokens = new TokenRepository(first);
    const outbox = new Outbox(first);
    for (const name of ['One', 'Two']) {
      const token = tokens.add(tokenInput(name, '2027-01-15T10:00'), t0);
      const reminder = { kind: 'threshold' as const, threshold: 7, token: { name, kind: 'vpp' as const, orgName: null, expiresAt: token.expiresAt, appleId: null, orgGroup: null }, daysLeft: 5, zone: 'Europe/Paris' };
      outbox.record(
        {
          token,
          queue: [{ alert: { kind: 'threshold', days: 7 }, reminder, subject: name, routes: [{ channel: 'email', recipient: 'ops@example.test' }], notBefore: t0 }],
          skip: [],
          settlesRenewal: false,
          afterPreview: [],
        },
        t0,
      );
    }
    rows = outbox.due(t0);
  });
  afterEach(() => {
    first.close();
    second.close();
    removeDir(dir);
  });

  const ids = (entries: readonly OutboxEntry[]): { id: number; attempts: number }[] => entries.map((e) => ({ id: e.id, attempts: e.attempts }));

  function claimantOf(lease: Lease, at: DateTime): Claimant {
    return { lease: lease.name, holder: lease.holder, generation: lease.generation ?? -1, until: at.plus({ milliseconds: TTL }) };
  }

  it('gives a row to one claimant only, and records who claimed it under which generation', () => {
    const lease = new Lease(first, 'host-a:1:x', TTL);
    lease.tryAcquire(t0);
    const outbox = new Outbox(first);
    expect(outbox.claim(ids(rows), claimantOf(lease, t0), t0)).toEqual({ isLeaseHeld: true, claimed: rows.map((r) => r.id) });
    expect(outbox.claim(ids(rows), claimantOf(lease, t0), t0)).toEqual({ isLeaseHeld: true, claimed: [] });
    expect(first.prepare('SELECT DISTINCT claimed_by, claim_generation FROM outbox').all()).toEqual([{ claimed_by: 'host-a:1:x', claim_generation: 1 }]);
  });

  it('claims nothing for a process whose lease another took, though it still believes it holds it', () => {
    const a = new Lease(first, 'host-a:1:x', TTL);
    const b = new Lease(second, 'host-b:2:y', TTL);
    a.tryAcquire(t0);
    const stale = claimantOf(a, t0);
    b.tryAcquire(t0.plus({ milliseconds: TTL }));
    expect(new Outbox(first).claim(ids(rows), stale, t0.plus({ milliseconds: TTL + 1 }))).toEqual({ isLeaseHeld: false });
    expect(new Outbox(second).claim(ids(rows), claimantOf(b, t0), t0.plus({ milliseconds: TTL + 1 }))).toMatchObject({ claimed: rows.map((r) => r.id) });
  });

  it('leaves a row to the next holder once its claimant died, and not while a live claimant on this host may still send it', () => {
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const dead = new Lease(first, newHolderId(deadPid), TTL);
    dead.tryAcquire(t0);
    const [one, two] = rows;
    if (one === undefined || two === undefined) throw new Error('two rows expected');
    new Outbox(first).claim(ids([one]), claimantOf(dead, t0), t0);
    const alive = new Lease(first, newHolderId(process.ppid), TTL);
    // The live claimant (our parent process: alive, and not us) took the lease after the dead one and claimed the other row.
    alive.tryAcquire(t0.plus({ seconds: 1 }));
    new Outbox(first).claim(ids([two]), claimantOf(alive, t0.plus({ seconds: 1 })), t0.plus({ seconds: 1 }));
    const next = new Lease(second, 'host-elsewhere:9:z', TTL);
    const later = t0.plus({ milliseconds: 3 * TTL });
    next.tryAcquire(later);
    expect(new Outbox(second).claim(ids(rows), claimantOf(next, later), later)).toEqual({ isLeaseHeld: true, claimed: [one.id] });
  });

  it('frees a claim from another host once its time has passed', () => {
    const remote = new Lease(first, 'host-far:1:x', TTL);
    remote.tryAcquire(t0);
    new Outbox(first).claim(ids(rows), claimantOf(remote, t0), t0);
    const next = new Lease(second, 'host-near:2:y', TTL);
    const justBefore = t0.plus({ milliseconds: TTL - 1 });
    const after = t0.plus({ milliseconds: TTL });
    expect(next.tryAcquire(justBefore)).toBe(false);
    expect(next.tryAcquire(after)).toBe(true);
    expect(new Outbox(second).claim(ids(rows), claimantOf(next, after), after)).toMatchObject({ claimed: rows.map((r) => r.id) });
  });

  it('does not claim a row that was sent or tried since it was read', () => {
    const lease = new Lease(first, 'host-a:1:x', TTL);
    lease.tryAcquire(t0);
    const outbox = new Outbox(first);
    const [one, two] = rows;
    if (one === undefined || two === undefined) throw new Error('two rows expected');
    outbox.markSent(one.id, t0);
    outbox.markFailed(two.id, '451 later', t0);
    expect(outbox.claim(ids(rows), claimantOf(lease, t0), t0)).toEqual({ isLeaseHeld: true, claimed: [] });
  });
});

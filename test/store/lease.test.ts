// The sending lease: one holder at a time across connections and processes, expiry, release, take-over, generations and renewal.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describeHolder, isDeadLocalHolder, Lease, newHolderId } from '../../src/store/lease';
import { openDatabase, type Db } from '../../src/store/database';
import { makeTempDir, removeDir } from '../support/temp-dir';

const t0 = DateTime.fromISO('2027-01-01T09:00:00Z', { zone: 'utc' });

describe('the sending lease', () => {
  let dir: string;
  let first: Db;
  let second: Db;
  beforeEach(() => {
    dir = makeTempDir();
    first = openDatabase(path.join(dir, 'tokenwatch.db'));
    second = openDatabase(path.join(dir, 'tokenwatch.db'));
  });
  afterEach(() => {
    first.close();
    second.close();
    removeDir(dir);
  });

  it('is held by one holder at a time across connections', () => {
    const a = new Lease(first, 'host-a:1:x', 30_000);
    const b = new Lease(second, 'host-b:2:y', 30_000);
    expect(a.tryAcquire(t0)).toBe(true);
    expect(b.tryAcquire(t0.plus({ seconds: 10 }))).toBe(false);
    expect(a.tryAcquire(t0.plus({ seconds: 20 }))).toBe(true);
    expect(b.tryAcquire(t0.plus({ seconds: 45 }))).toBe(false);
  });

  it('passes to another holder once the heartbeat stops and the lease expires', () => {
    const a = new Lease(first, 'host-a:1:x', 30_000);
    const b = new Lease(second, 'host-b:2:y', 30_000);
    a.tryAcquire(t0);
    expect(b.tryAcquire(t0.plus({ seconds: 30 }))).toBe(true);
    expect(a.isHeld(t0.plus({ seconds: 31 }))).toBe(false);
    expect(a.tryAcquire(t0.plus({ seconds: 31 }))).toBe(false);
  });

  it('is free at once after its holder releases it', () => {
    const a = new Lease(first, 'host-a:1:x', 30_000);
    const b = new Lease(second, 'host-b:2:y', 30_000);
    a.tryAcquire(t0);
    a.release();
    expect(b.tryAcquire(t0.plus({ seconds: 1 }))).toBe(true);
  });

  it('is taken over at once from a dead process on the same host', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const deadHolder = newHolderId(Number(dead));
    expect(isDeadLocalHolder(deadHolder)).toBe(true);
    expect(isDeadLocalHolder(newHolderId(process.ppid))).toBe(false);
    expect(isDeadLocalHolder(`another-host-than-${os.hostname()}:${dead}:x`)).toBe(false);
    new Lease(first, deadHolder, 30_000).tryAcquire(t0);
    expect(new Lease(second, newHolderId(), 30_000).tryAcquire(t0.plus({ seconds: 1 }))).toBe(true);
  });

  it('gives each new holder the next generation, and keeps it through renewals', () => {
    const a = new Lease(first, 'host-a:1:x', 30_000);
    const b = new Lease(second, 'host-b:2:y', 30_000, { role: 'scan' });
    expect(a.tryAcquire(t0)).toBe(true);
    expect(a.generation).toBe(1);
    expect(a.renew(t0.plus({ seconds: 10 }))).toBe(true);
    expect(a.tryAcquire(t0.plus({ seconds: 20 }))).toBe(true);
    expect(a.generation).toBe(1);
    a.release();
    expect(b.tryAcquire(t0.plus({ seconds: 21 }))).toBe(true);
    expect(b.generation).toBe(2);
    expect(b.current()).toMatchObject({ holder: 'host-b:2:y', role: 'scan', generation: 2, acquiredAt: t0.plus({ seconds: 21 }).toMillis() });
  });

  it('cannot be renewed by a holder whose lease another process has taken, even once that one has let go', () => {
    const a = new Lease(first, 'host-a:1:x', 30_000);
    const b = new Lease(second, 'host-b:2:y', 30_000);
    a.tryAcquire(t0);
    expect(b.tryAcquire(t0.plus({ seconds: 31 }))).toBe(true);
    expect(a.renew(t0.plus({ seconds: 32 }))).toBe(false);
    b.release();
    expect(a.renew(t0.plus({ seconds: 33 }))).toBe(false);
    expect(a.isHeld(t0.plus({ seconds: 33 }))).toBe(false);
  });

  it('is renewed after lapsing when nobody took it in between: nobody else can have sent meanwhile', () => {
    const a = new Lease(first, 'host-a:1:x', 30_000);
    a.tryAcquire(t0);
    expect(a.renew(t0.plus({ seconds: 45 }))).toBe(true);
    expect(a.isHeld(t0.plus({ seconds: 70 }))).toBe(true);
  });

  it('names its holder for people: what kind of process, its pid and host, and since when', () => {
    const scan = new Lease(first, 'host-a:4242:x', 30_000, { role: 'scan' });
    scan.tryAcquire(t0);
    scan.renew(t0.plus({ seconds: 20 }));
    expect(describeHolder(scan.current())).toBe('a "tokenwatch scan" (pid 4242 on host-a, since 2027-01-01T09:00:00.000Z)');
    scan.release();
    const daemon = new Lease(second, 'host-b:7:y', 30_000);
    daemon.tryAcquire(t0.plus({ minutes: 1 }));
    expect(describeHolder(daemon.current())).toBe('a daemon (pid 7 on host-b, since 2027-01-01T09:01:00.000Z)');
  });
});

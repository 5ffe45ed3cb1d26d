// The sending lease: one row that says which process (a daemon or a one-off scan) sends for this database, since when,
// and under which generation. The holder renews it while it works; another process takes it once it has expired, or at
// once when the holder was a process on this host that has died. Each new holder gets the next generation, which the
// outbox's per-row claims record (see Outbox.claim), so that a holder that lost the lease cannot claim a row any more.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { errorCode } from '../errors';
import type { Db } from './database';

/** What kind of process holds the lease: the long-running service or a one-off `tokenwatch scan`. */
export type LeaseRole = 'daemon' | 'scan';

export interface LeaseHolder {
  /** `host:pid:random`. */
  readonly holder: string;
  readonly role: LeaseRole;
  readonly generation: number;
  /** When this holder took the lease (epoch ms); renewals keep it. */
  readonly acquiredAt: number;
  readonly expiresAt: number;
  readonly heartbeatAt: number;
}

/** The parts of a holder id, for messages: `host:pid:random`. */
export interface HolderIdentity {
  readonly host: string;
  readonly pid: number | null;
}

/** The one lease row every sender competes for. */
export const SENDING_LEASE = 'daemon';

/** `host:pid:random`, so that a holder on this host can be checked for being alive. */
export function newHolderId(pid = process.pid): string {
  return `${os.hostname()}:${pid}:${randomBytes(4).toString('hex')}`;
}

export function holderIdentity(holder: string): HolderIdentity {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  return { host: host ?? holder, pid: Number.isInteger(pid) && pid > 0 ? pid : null };
}

/** True when `holder` names a process on this host that no longer exists. */
export function isDeadLocalHolder(holder: string): boolean {
  return localLiveness(holder) === 'dead';
}

/** True when `holder` names a process on this host that still runs (possibly paused), other than this one. */
export function isLiveLocalHolder(holder: string): boolean {
  return localLiveness(holder) === 'alive';
}

function localLiveness(holder: string): 'dead' | 'alive' | 'unknown' {
  const { host, pid } = holderIdentity(holder);
  if (host !== os.hostname() || pid === null || pid === process.pid) return 'unknown';
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return errorCode(error) === 'ESRCH' ? 'dead' : 'alive';
  }
}

/** "a daemon (pid 41 on host-a, since 2026-11-30T04:10:00.000Z)": who holds the lease, for people. */
export function describeHolder(current: LeaseHolder | null): string {
  if (current === null) return 'another process (it has just let go)';
  const { host, pid } = holderIdentity(current.holder);
  const since = DateTime.fromMillis(current.acquiredAt, { zone: 'utc' }).toISO() ?? String(current.acquiredAt);
  return `${current.role === 'scan' ? 'a "tokenwatch scan"' : 'a daemon'} (pid ${pid ?? '?'} on ${host}, since ${since})`;
}

interface LeaseRow {
  holder: string;
  role: string;
  generation: number;
  acquired_at: number | null;
  expires_at: number;
  heartbeat_at: number;
}

export interface LeaseOptions {
  readonly role?: LeaseRole;
  /** The lease row's name; every sender of a database shares SENDING_LEASE. */
  readonly name?: string;
}

export class Lease {
  readonly role: LeaseRole;
  readonly name: string;
  /** The generation this process took; null while it has not taken the lease. */
  private heldGeneration: number | null = null;

  constructor(
    private readonly db: Db,
    readonly holder: string,
    readonly ttlMs: number,
    options: LeaseOptions = {},
  ) {
    this.role = options.role ?? 'daemon';
    this.name = options.name ?? SENDING_LEASE;
  }

  /** The generation this process holds (or last held); null before it first took the lease. */
  get generation(): number | null {
    return this.heldGeneration;
  }

  /** Who holds the lease now; null when nobody does (never taken, or let go). */
  current(): LeaseHolder | null {
    const latest = this.latest();
    return latest === null || latest.expiresAt === 0 ? null : latest;
  }

  /** The last process that took the lease, even if it has let go since (expiresAt 0); null if never taken. */
  latest(): LeaseHolder | null {
    const row = this.db
      .prepare('SELECT holder, role, generation, acquired_at, expires_at, heartbeat_at FROM lease WHERE name = ?')
      .get(this.name) as LeaseRow | undefined;
    if (row === undefined) return null;
    return {
      holder: row.holder,
      role: row.role === 'scan' ? 'scan' : 'daemon',
      generation: row.generation,
      acquiredAt: row.acquired_at ?? row.heartbeat_at,
      expiresAt: row.expires_at,
      heartbeatAt: row.heartbeat_at,
    };
  }

  /**
   * Takes the lease, or renews it when this process holds it; false while another live holder has it. Taking it
   * (rather than renewing) moves to the next generation, which ends every claim the previous holder could still make.
   */
  tryAcquire(now: DateTime): boolean {
    const nowMs = now.toMillis();
    return this.db
      .transaction(() => {
        const current = this.current();
        if (current !== null && current.holder === this.holder && current.generation === this.heldGeneration) {
          this.write(current.generation, current.acquiredAt, nowMs);
          return true;
        }
        const isFree =
          current === null || current.holder === this.holder || current.expiresAt <= nowMs || isDeadLocalHolder(current.holder);
        if (!isFree) return false;
        const generation = this.lastGeneration() + 1;
        this.write(generation, nowMs, nowMs);
        this.heldGeneration = generation;
        return true;
      })
      .immediate();
  }

  /**
   * Extends the lease this process took, unless another process has taken it since (a lapsed lease nobody took is
   * still ours: nobody else can have claimed a row meanwhile). False when the lease is lost.
   */
  renew(now: DateTime): boolean {
    if (this.heldGeneration === null) return false;
    const nowMs = now.toMillis();
    const result = this.db
      .prepare('UPDATE lease SET expires_at = ?, heartbeat_at = ? WHERE name = ? AND holder = ? AND generation = ? AND expires_at > 0')
      .run(nowMs + this.ttlMs, nowMs, this.name, this.holder, this.heldGeneration);
    return result.changes === 1;
  }

  /** Whether this process holds an unexpired lease at `now`. */
  isHeld(now: DateTime): boolean {
    const current = this.current();
    return current !== null && current.holder === this.holder && current.generation === this.heldGeneration && current.expiresAt > now.toMillis();
  }

  /** Lets go of the lease (when this process still holds it); the row stays, so generations keep counting up. */
  release(): void {
    if (this.heldGeneration === null) return;
    this.db.prepare('UPDATE lease SET expires_at = 0 WHERE name = ? AND holder = ? AND generation = ?').run(this.name, this.holder, this.heldGeneration);
  }

  private lastGeneration(): number {
    const row = this.db.prepare('SELECT generation FROM lease WHERE name = ?').get(this.name) as { generation: number } | undefined;
    return row?.generation ?? 0;
  }

  private write(generation: number, acquiredAt: number, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO lease (name, holder, role, generation, acquired_at, expires_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, role = excluded.role, generation = excluded.generation,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at, heartbeat_at = excluded.heartbeat_at`,
      )
      .run(this.name, this.holder, this.role, generation, acquiredAt, nowMs + this.ttlMs, nowMs);
  }
}

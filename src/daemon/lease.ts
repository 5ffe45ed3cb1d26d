// Only one daemon sends for a database: it holds a lease row that it renews by heartbeat. Another daemon waits and
// takes over once the lease has expired, or at once when the holder was a process on this host that has died.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DateTime } from 'luxon';
import { errorCode } from '../errors';
import type { Db } from '../store/database';

export interface LeaseHolder {
  readonly holder: string;
  readonly expiresAt: number;
  readonly heartbeatAt: number;
}

/** `host:pid:random`, so that a holder on this host can be checked for being alive. */
export function newHolderId(pid = process.pid): string {
  return `${os.hostname()}:${pid}:${randomBytes(4).toString('hex')}`;
}

/** True when `holder` names a process on this host that no longer exists. */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  if (host !== os.hostname() || pidText === undefined) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

export class Lease {
  constructor(
    private readonly db: Db,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly name = 'daemon',
  ) {}

  current(): LeaseHolder | null {
    const row = this.db.prepare('SELECT holder, expires_at, heartbeat_at FROM lease WHERE name = ?').get(this.name) as
      | { holder: string; expires_at: number; heartbeat_at: number }
      | undefined;
    return row === undefined ? null : { holder: row.holder, expiresAt: row.expires_at, heartbeatAt: row.heartbeat_at };
  }

  /** Takes or renews the lease; false while another live holder has it. */
  tryAcquire(now: DateTime): boolean {
    const nowMs = now.toMillis();
    return this.db
      .transaction(() => {
        const current = this.current();
        const isFree =
          current === null || current.holder === this.holder || current.expiresAt <= nowMs || isDeadLocalHolder(current.holder);
        if (!isFree) return false;
        this.db
          .prepare(
            `INSERT INTO lease (name, holder, expires_at, heartbeat_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
               heartbeat_at = excluded.heartbeat_at`,
          )
          .run(this.name, this.holder, nowMs + this.ttlMs, nowMs);
        return true;
      })
      .immediate();
  }

  /** Whether this process holds an unexpired lease at `now`. */
  isHeld(now: DateTime): boolean {
    const current = this.current();
    return current !== null && current.holder === this.holder && current.expiresAt > now.toMillis();
  }

  release(): void {
    this.db.prepare('DELETE FROM lease WHERE name = ? AND holder = ?').run(this.name, this.holder);
  }
}

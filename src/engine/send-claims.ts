// The right to send an outbox row: the process must hold the sending lease, and claim the row under it just before the
// send. A delivery pass asks this before every message; a `null` answer means the lease was lost, and the pass stops.
import type { Clock } from '../clock';
import type { Outbox, OutboxEntry } from '../store/outbox';
import type { Lease } from '../store/lease';

export interface SendClaims {
  /**
   * Claims the rows of one message: the ids claimed (those another process sent, tried or holds are left out), or null
   * when this process no longer holds the lease and must send nothing more.
   */
  claim(rows: readonly OutboxEntry[]): readonly number[] | null;
  /** Who claims, for logs: `host:pid:random`. */
  readonly holder: string;
}

/**
 * Claims under `lease`, on `clock` (the clock the lease is kept on, not a scan's `--at`). Renews the lease as the work
 * goes, whenever a third of its time to live has passed since the last renewal, so that a long pass keeps it even when
 * no timer could run; a renewal that fails means another process has taken it.
 */
export function leaseClaims(lease: Lease, outbox: Outbox, clock: Clock): SendClaims {
  let renewedAt = clock.now().toMillis();
  return {
    holder: lease.holder,
    claim(rows) {
      const generation = lease.generation;
      if (generation === null) return null;
      const now = clock.now();
      if (now.toMillis() - renewedAt >= lease.ttlMs / 3) {
        if (!lease.renew(now)) return null;
        renewedAt = now.toMillis();
      }
      const result = outbox.claim(
        rows.map((row) => ({ id: row.id, attempts: row.attempts })),
        { lease: lease.name, holder: lease.holder, generation, until: now.plus({ milliseconds: lease.ttlMs }) },
        now,
      );
      return result.isLeaseHeld ? result.claimed : null;
    },
  };
}

/** The claims of an engine that never sends (a dry run, `retry`): it holds no lease, so it claims nothing. */
export const NO_CLAIMS: SendClaims = Object.freeze({ holder: 'none', claim: () => null });

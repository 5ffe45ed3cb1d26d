// One scan that sends, under the sending lease: `tokenwatch scan` and `renew`'s immediate confirmation both run it.
// Only one process sends for a database at a time; the lease is taken on the real clock (not a scan's `--at`), renewed
// while the scan works, and let go when the command ends.
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { OnProgress } from '../engine/engine-settings';
import type { ScanReport } from '../engine/scan';
import { describeHolder, Lease, newHolderId, type LeaseHolder } from '../store/lease';
import type { CliContext } from './context';
import { buildEngine } from './engine-setup';

export type LeasedScanResult =
  /** Another process holds the lease: nothing was recorded or sent. */
  | { readonly isDone: false; readonly holder: LeaseHolder | null }
  /** `lostTo` says who took the lease when the scan stopped before its last send (the rest stays queued), else null. */
  | { readonly isDone: true; readonly report: ScanReport; readonly lostTo: string | null };

export interface LeasedScan {
  /** Takes the lease if no other process holds it, and scans at `now`; `onProgress` hears how far it is (a bar). */
  run(now: DateTime, onProgress?: OnProgress): Promise<LeasedScanResult>;
}

/**
 * Builds the engine of a sending scan planning on `clock`. The settings and templates are read here, before the lease
 * is taken and before the caller writes anything: a bad one is refused first.
 */
export function prepareLeasedScan(ctx: CliContext, clock: Clock = ctx.clock): LeasedScan {
  const lease = new Lease(ctx.database, newHolderId(), ctx.config.leaseSeconds * 1000, { role: 'scan' });
  const engine = buildEngine(ctx, { sends: true, clock, lease });
  return {
    async run(now, onProgress) {
      if (!lease.tryAcquire(ctx.clock.now())) return { isDone: false, holder: lease.current() };
      // Renewed every third of its time to live while the scan works (and before each send, by the claims).
      const renewal = setInterval(() => {
        try {
          lease.renew(ctx.clock.now());
        } catch (error) {
          ctx.logger.warn('lease.renew_failed', { error: error instanceof Error ? error.message : String(error) });
        }
      }, lease.ttlMs / 3);
      renewal.unref();
      ctx.onClose(() => {
        clearInterval(renewal);
        lease.release();
      });
      const report = await engine.scan({ now, ...(onProgress === undefined ? {} : { onProgress }) });
      return { isDone: true, report, lostTo: report.delivery.leaseLost === true ? describeHolder(lease.latest()) : null };
    },
  };
}

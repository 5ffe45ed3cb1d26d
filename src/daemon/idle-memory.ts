// Gives back what a scan or a delivery pass left in memory once the daemon is idle: SQLite's page cache for the
// daemon's connection, then two full garbage collections a moment apart when Node runs with --expose-gc (as `npm
// start`, the Docker image and the systemd unit do). Without them V8 shrinks the heap by itself only when its memory
// reducer runs, about 8 s after its last full collection, so an idle daemon would hold the scan's garbage until then.
import type { Db } from '../store/database';

/**
 * The pause between the two collections. Measured on the 100,000-token bench registry: one collection took the idle
 * RSS from about 89 to 80 MiB; a second one in the same task changed nothing, one in a later task (100 ms or 1 s)
 * brought it to 77 MiB, what V8's memory reducer reaches seconds later (the first collection's freed pages are given
 * back to the system only by a later one).
 */
const SECOND_COLLECTION_DELAY_MS = 100;

/** What one release did, for the daemon's debug log. */
export interface IdleRelease {
  /** Whether the full garbage collections ran (false when Node was started without --expose-gc). */
  readonly isCollected: boolean;
  readonly heapUsedMb: number;
}

export async function releaseIdleMemory(db: Db): Promise<IdleRelease> {
  // https://www.sqlite.org/pragma.html#pragma_shrink_memory: "free as much heap memory as possible" from this
  // connection (its page cache); the cache refills from the file on the next scan.
  db.pragma('shrink_memory');
  // `gc` is defined only under --expose-gc (https://nodejs.org/api/cli.html#--expose-gc); no other way is stable.
  const collect = globalThis.gc;
  if (collect !== undefined) {
    collect();
    await new Promise<void>((resolve) => setTimeout(resolve, SECOND_COLLECTION_DELAY_MS).unref());
    collect();
  }
  return { isCollected: collect !== undefined, heapUsedMb: process.memoryUsage().heapUsed / (1024 * 1024) };
}

// Gives back what a scan or a delivery pass left in memory once the daemon is idle: SQLite's page cache for the
// daemon's connection, then a full garbage collection when Node runs with --expose-gc (as `npm start`, the Docker
// image and the systemd unit do). Without it V8 shrinks the heap by itself only about 8 s after its last collection
// (its memory reducer), so an idle daemon would hold the scan's garbage until then.
import type { Db } from '../store/database';

/** What one release did, for the daemon's debug log. */
export interface IdleRelease {
  /** Whether a full garbage collection ran (false when Node was started without --expose-gc). */
  readonly isCollected: boolean;
  readonly heapUsedMb: number;
}

export function releaseIdleMemory(db: Db): IdleRelease {
  // https://www.sqlite.org/pragma.html#pragma_shrink_memory: "free as much heap memory as possible" from this
  // connection (its page cache); the cache refills from the file on the next scan.
  db.pragma('shrink_memory');
  // `gc` is defined only under --expose-gc (https://nodejs.org/api/cli.html#--expose-gc); no other way is stable.
  const collect = globalThis.gc;
  if (collect !== undefined) collect();
  return { isCollected: collect !== undefined, heapUsedMb: process.memoryUsage().heapUsed / (1024 * 1024) };
}

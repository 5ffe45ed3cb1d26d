// A counter of the daemon's own changes to the registry and to its status: bumped after each scan, retry pass and
// lease change. The HTTP edge keys its cached page and scrape on it, because SQLite's `PRAGMA data_version` does not
// change for writes made on the reading connection itself (https://www.sqlite.org/pragma.html#pragma_data_version).
import type { EventEmitter } from 'node:events';
import type { DaemonEvents } from './daemon';

/** Starts counting `daemon`'s changes; the returned function reads the count. */
export function trackRegistryGeneration(daemon: EventEmitter<DaemonEvents>): () => number {
  let generation = 0;
  const bump = (): void => {
    generation += 1;
  };
  daemon.on('scan:done', bump);
  daemon.on('scan:failed', bump);
  daemon.on('retry:done', bump);
  daemon.on('lease:acquired', bump);
  daemon.on('lease:lost', bump);
  daemon.on('lease:waiting', bump);
  daemon.on('stopped', bump);
  return () => generation;
}

// The clock is an edge: logic receives it, only the daemon and CLI create the system one.
import { DateTime } from 'luxon';

export interface Clock {
  /** The current instant, in UTC. */
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.utc() };

/** A clock that always answers the same instant (for `scan --at` and tests). */
export function fixedClock(at: DateTime): Clock {
  const instant = at.toUTC();
  return { now: () => instant };
}

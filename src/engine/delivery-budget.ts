// How long one delivery pass may keep taking new sends (TOKENWATCH_DELIVERY_BUDGET_SECONDS, issue 8).
// Measured on the monotonic clock: it bounds real waiting on servers, unlike the injected Clock, which says what day it is.
import { performance } from 'node:perf_hooks';

export interface DeliveryBudget {
  /** True once the budget is spent: take no new send (one already started finishes within its own send bound). */
  isSpent(): boolean;
}

/** Starts a budget of `seconds` now; without one, never spent. `now` is a monotonic millisecond clock. */
export function startDeliveryBudget(seconds: number | undefined, now: () => number = () => performance.now()): DeliveryBudget {
  if (seconds === undefined) return { isSpent: () => false };
  const end = now() + seconds * 1000;
  return { isSpent: () => now() >= end };
}

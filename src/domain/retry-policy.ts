// When a failed delivery is tried again: exponential backoff, capped. Pure.

export interface RetryPolicy {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/** Seconds to wait after the `attempts`-th failed attempt (1, 2, …): base, 2×base, 4×base… up to max. */
export function retryDelaySeconds(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** Math.min(exponent, 30));
}

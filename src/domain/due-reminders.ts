// Decides which reminder, if any, is due for a token at an instant. Pure: the scan records and sends what it returns.
import type { DateTime } from 'luxon';
import { alertKey, expiredAlert, thresholdAlert, type AlertKey } from './alert';
import { daysLeft } from './dates';
import { isMuted } from './token-state';

export interface DueAlert {
  readonly alert: AlertKey;
  readonly kind: 'threshold' | 'expired';
  /** Days of the threshold for `threshold` alerts, null for `expired`. */
  readonly threshold: number | null;
  readonly daysLeft: number;
}

export interface DueDecision {
  /** The one reminder to send now, or null. */
  readonly send: DueAlert | null;
  /** Reminders that were due but are superseded by a more urgent one (catch-up): recorded, never sent. */
  readonly skip: readonly AlertKey[];
}

export interface DueToken {
  readonly expiresAt: DateTime;
  readonly thresholds: readonly number[] | null;
  readonly mutedAt: DateTime | null;
  readonly mutedUntil: DateTime | null;
}

export interface DuePolicy {
  readonly zone: string;
  readonly thresholds: readonly number[];
  /** Days between repeated `expired` alerts; 0 sends it once. */
  readonly expiredRepeatDays: number;
}

const NOTHING: DueDecision = { send: null, skip: [] };

/**
 * What is due for `token` at `now`, given the alerts already decided for its current expiry.
 * Threshold T is due once the calendar days left (in the zone) are <= T. Once the expiry instant has passed, an
 * `expired` alert is due, repeated every `expiredRepeatDays` calendar days. Only the most urgent undecided alert is
 * sent; the other due ones are skipped. A muted token gets nothing and nothing is recorded for it.
 */
export function whatIsDue(token: DueToken, decided: ReadonlySet<AlertKey>, now: DateTime, policy: DuePolicy): DueDecision {
  if (isMuted(token, now)) return NOTHING;
  const left = daysLeft(token.expiresAt, now, policy.zone);
  const thresholds = [...(token.thresholds ?? policy.thresholds)].sort((a, b) => a - b);
  const dueThresholds = thresholds.filter((days) => left <= days).map((days) => alertKey(thresholdAlert(days)));

  const isExpired = now >= token.expiresAt;
  if (isExpired) {
    const latest = alertKey(expiredAlert(latestRepeat(token.expiresAt, now, policy)));
    if (decided.has(latest)) return NOTHING;
    const superseded = [...dueThresholds, alertKey(expiredAlert(0))].filter((key) => key !== latest && !decided.has(key));
    return { send: { alert: latest, kind: 'expired', threshold: null, daysLeft: left }, skip: superseded };
  }

  const [mostUrgent, ...others] = dueThresholds;
  if (mostUrgent === undefined || decided.has(mostUrgent)) return NOTHING;
  const threshold = thresholds.find((days) => alertKey(thresholdAlert(days)) === mostUrgent) ?? null;
  return {
    send: { alert: mostUrgent, kind: 'threshold', threshold, daysLeft: left },
    skip: others.filter((key) => !decided.has(key)),
  };
}

/** Days after expiry of the latest `expired` repeat that has come due (0 when repeats are off). */
function latestRepeat(expiresAt: DateTime, now: DateTime, policy: DuePolicy): number {
  const every = policy.expiredRepeatDays;
  if (every <= 0) return 0;
  const local = expiresAt.setZone(policy.zone);
  let after = Math.floor(Math.max(0, -daysLeft(expiresAt, now, policy.zone)) / every) * every;
  // The repeat is due at the same local time of day as the expiry, so step back if that moment is still ahead.
  while (after > 0 && local.plus({ days: after }) > now) after -= every;
  return after;
}

/** The furthest instant from `now` at which a token on the global thresholds can be due (one spare day for zones). */
export function globalHorizon(now: DateTime, thresholds: readonly number[]): DateTime {
  return now.plus({ days: Math.max(0, ...thresholds) + 1 });
}

// Decides which reminder, if any, is due for a token at an instant. Pure: the scan records and sends what it returns.
import type { DateTime } from 'luxon';
import { alertKey, expiredAlert, parseAlertKey, thresholdAlert, type Alert, type AlertKey, type ExpiredAlert, type ThresholdAlert } from './alert';
import { daysLeft } from './dates';
import type { Token } from './token';
import { isMuted } from './token-state';

export interface DueDecision {
  /** The one alert to send now, or null. */
  readonly send: ThresholdAlert | ExpiredAlert | null;
  /** Alerts that were due but are superseded by a more urgent one (catch-up): recorded, never sent. */
  readonly skip: readonly Alert[];
}

/** What deciding needs of a token (the registry's tokens and the status page's summaries both have it). */
export type DueToken = Pick<Token, 'expiresAt' | 'thresholds' | 'mutedAt' | 'mutedUntil'>;

export interface DuePolicy {
  readonly zone: string;
  readonly thresholds: readonly number[];
  /** Days between repeated `expired` alerts; 0 sends it once. */
  readonly expiredRepeatDays: number;
}

const NOTHING: DueDecision = { send: null, skip: [] };

/**
 * How urgent an alert is, for ordering: thresholds by days left (t60 < t30 < t7), then `expired`, then its repeats in
 * order. Null for the others (renewed, test, source alerts), which are not steps of the countdown.
 */
function urgency(alert: Alert | null): number | null {
  if (alert?.kind === 'threshold') return -alert.days;
  if (alert?.kind === 'expired') return 1 + alert.daysAfter;
  return null;
}

/** Whether a more urgent alert than `alert` was already decided: then `alert` is stale (the clock went back). */
function isStale(alert: ThresholdAlert | ExpiredAlert, decided: ReadonlySet<AlertKey>): boolean {
  const own = urgency(alert) ?? 0;
  for (const key of decided) {
    const other = urgency(parseAlertKey(key));
    if (other !== null && other > own) return true;
  }
  return false;
}

/**
 * What is due for `token` at `now`, given the alerts already decided for its current expiry.
 * Threshold T is due once the calendar days left (in the zone) are <= T. Once the expiry instant has passed, an
 * `expired` alert is due, repeated every `expiredRepeatDays` calendar days. Only the most urgent undecided alert is
 * sent; the other due ones are skipped. A muted token gets nothing and nothing is recorded for it. An alert older than
 * one already decided is never sent, even when the clock goes back (a scan forward past a missed repeat, then back).
 */
export function whatIsDue(token: DueToken, decided: ReadonlySet<AlertKey>, now: DateTime, policy: DuePolicy): DueDecision {
  if (isMuted(token, now)) return NOTHING;
  const left = daysLeft(token.expiresAt, now, policy.zone);
  const isUndecided = (alert: Alert): boolean => !decided.has(alertKey(alert));
  const dueThresholds = [...(token.thresholds ?? policy.thresholds)]
    .sort((a, b) => a - b)
    .filter((days) => left <= days)
    .map(thresholdAlert);

  const isExpired = now >= token.expiresAt;
  if (isExpired) {
    const latest = expiredAlert(latestRepeat(token.expiresAt, now, policy));
    if (!isUndecided(latest) || isStale(latest, decided)) return NOTHING;
    const superseded = [...dueThresholds, ...(latest.daysAfter === 0 ? [] : [expiredAlert(0)])].filter(isUndecided);
    return { send: latest, skip: superseded };
  }

  const [mostUrgent, ...others] = dueThresholds;
  if (mostUrgent === undefined || !isUndecided(mostUrgent) || isStale(mostUrgent, decided)) return NOTHING;
  return { send: mostUrgent, skip: others.filter(isUndecided) };
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

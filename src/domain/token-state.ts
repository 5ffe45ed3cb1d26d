// How urgent a token looks in `tokenwatch list`: a pure function of its expiry, the clock and its thresholds.
import type { DateTime } from 'luxon';
import { daysLeft } from './dates';

export type TokenState = 'ok' | 'warning' | 'critical' | 'expired';

/**
 * expired: the expiry instant has passed; critical: within the smallest threshold (7 days by default);
 * warning: within the largest threshold (60 days by default); ok otherwise.
 */
export function tokenState(expiresAt: DateTime, now: DateTime, zone: string, thresholds: readonly number[]): TokenState {
  if (now >= expiresAt) return 'expired';
  const days = daysLeft(expiresAt, now, zone);
  if (thresholds.length > 0 && days <= Math.min(...thresholds)) return 'critical';
  if (thresholds.length > 0 && days <= Math.max(...thresholds)) return 'warning';
  return 'ok';
}

/**
 * The instants that separate the states at `now`, so that a database can count tokens per state with range
 * conditions on the expiry: expired when expiresAt <= now, critical when expiresAt < criticalBefore, warning when
 * expiresAt < warningBefore, ok otherwise. Agrees with tokenState (days left <= T exactly when the expiry falls
 * before the start of day today + T + 1 in `zone`).
 */
export function stateBoundaries(now: DateTime, zone: string, thresholds: readonly number[]): { criticalBefore: DateTime; warningBefore: DateTime } {
  const today = now.setZone(zone).startOf('day');
  if (thresholds.length === 0) return { criticalBefore: now, warningBefore: now };
  return {
    criticalBefore: today.plus({ days: Math.min(...thresholds) + 1 }).toUTC(),
    warningBefore: today.plus({ days: Math.max(...thresholds) + 1 }).toUTC(),
  };
}

/** Whether the token is muted at `now` (a mute with an end date lapses by itself). */
export function isMuted(token: { mutedAt: DateTime | null; mutedUntil: DateTime | null }, now: DateTime): boolean {
  if (token.mutedAt === null) return false;
  return token.mutedUntil === null || now < token.mutedUntil;
}

// Which reminder a token gets next and from when, for the status page. Pure, and consistent with whatIsDue: what is
// due now is what the next scan sends.
import type { DateTime } from 'luxon';
import { daysLeft } from './dates';
import { alertKey, expiredAlert, thresholdAlert, type AlertKey } from './alert';
import { whatIsDue, type DuePolicy, type DueToken } from './due-reminders';
import { isMuted } from './token-state';

export interface NextReminder {
  readonly alert: AlertKey;
  /** When it becomes due: `now` when it is due already (the next scan sends it). */
  readonly dueAt: DateTime;
  readonly isDueNow: boolean;
}

/** The next reminder for `token`, or null when none will come (muted, or expired with repeats off and sent). */
export function nextReminder(token: DueToken, decided: ReadonlySet<AlertKey>, now: DateTime, policy: DuePolicy): NextReminder | null {
  if (isMuted(token, now)) return null;
  const dueNow = whatIsDue(token, decided, now, policy).send;
  if (dueNow !== null) return { alert: alertKey(dueNow), dueAt: now, isDueNow: true };

  const expiry = token.expiresAt.setZone(policy.zone);
  if (now < token.expiresAt) {
    const left = daysLeft(token.expiresAt, now, policy.zone);
    const upcoming = [...(token.thresholds ?? policy.thresholds)].filter((days) => days < left).sort((a, b) => b - a)[0];
    if (upcoming !== undefined) {
      // Due from the start of the day on which `upcoming` calendar days are left.
      return { alert: alertKey(thresholdAlert(upcoming)), dueAt: expiry.startOf('day').minus({ days: upcoming }).toUTC(), isDueNow: false };
    }
    return { alert: alertKey(expiredAlert(0)), dueAt: token.expiresAt, isDueNow: false };
  }
  const every = policy.expiredRepeatDays;
  if (every <= 0) return null;
  // The first repeat whose moment (the expiry's time of day, N days later) is still ahead.
  let after = every;
  while (expiry.plus({ days: after }) <= now) after += every;
  return { alert: alertKey(expiredAlert(after)), dueAt: expiry.plus({ days: after }).toUTC(), isDueNow: false };
}

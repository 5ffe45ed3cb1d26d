// What a reminder is about: one discriminated union, and its one text form (the alert key) that the send-once ledger
// and the outbox store. `alertKey` and `parseAlertKey` are the only code that writes or reads that text. Pure.

/** The token expires within `days` calendar days (60: plan, 30: act, 7: urgent). */
export interface ThresholdAlert {
  readonly kind: 'threshold';
  readonly days: number;
}

/** The expiry instant has passed; `daysAfter` is 0 for the first alert, then each repeat (7, 14…). */
export interface ExpiredAlert {
  readonly kind: 'expired';
  readonly daysAfter: number;
}

/** A short confirmation after a renewal (once per new expiry). */
export interface RenewedAlert {
  readonly kind: 'renewed';
}

/** A clearly marked test message (`tokenwatch test-notify`). */
export interface TestAlert {
  readonly kind: 'test';
}

/**
 * A source says the token is unusable before its date (revoked, moved to another MDM…): `state` is what it said,
 * `since` when it first said so (epoch milliseconds). A state that goes away and comes back is a new occurrence, with a
 * new `since`, so it alerts again.
 */
export interface InvalidAlert {
  readonly kind: 'invalid';
  readonly state: string;
  readonly since: number;
}

/**
 * A source could not be read for too long (`source-stale`), or can be read again (`source-recovered`). About no token:
 * the ledger files these under a token id of its own (see sources/source-alerts.ts).
 */
export interface SourceAlert {
  readonly kind: 'source-stale' | 'source-recovered';
  readonly source: string;
}

export type Alert = ThresholdAlert | ExpiredAlert | RenewedAlert | TestAlert | InvalidAlert | SourceAlert;
export type AlertKind = Alert['kind'];

/**
 * An alert as the ledger stores it, unique per token and expiry: `t60`, `t30`, `t7`; `expired`, then `expired+7`,
 * `expired+14`…; `renewed`; `test`; `invalid:STATE:SINCE` (`invalid:revoked:1800000000000`); `source-stale:NAME`,
 * `source-recovered:NAME`.
 */
export type AlertKey = string;

export const thresholdAlert = (days: number): ThresholdAlert => ({ kind: 'threshold', days });
export const expiredAlert = (daysAfter: number): ExpiredAlert => ({ kind: 'expired', daysAfter });
export const RENEWED: RenewedAlert = Object.freeze({ kind: 'renewed' });

/** The key of `alert`; `parseAlertKey(alertKey(a))` gives `a` back. */
export function alertKey(alert: Alert): AlertKey {
  switch (alert.kind) {
    case 'threshold':
      return `t${alert.days}`;
    case 'expired':
      return alert.daysAfter === 0 ? 'expired' : `expired+${alert.daysAfter}`;
    case 'renewed':
    case 'test':
      return alert.kind;
    case 'invalid':
      return `invalid:${alert.state}:${alert.since}`;
    case 'source-stale':
    case 'source-recovered':
      return `${alert.kind}:${alert.source}`;
  }
}

/** A whole number written as `alertKey` writes it (no sign, no leading zero), or null. */
function wholeNumber(text: string): number | null {
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 0 && String(value) === text ? value : null;
}

/** The text after `prefix` when `key` starts with it and something follows, else null. */
function after(key: AlertKey, prefix: string): string | null {
  return key.startsWith(prefix) && key.length > prefix.length ? key.slice(prefix.length) : null;
}

/**
 * The alert a stored key stands for, or null when the key is not one `alertKey` writes (a row written by a newer
 * version, say): callers show such a key as it is.
 */
export function parseAlertKey(key: AlertKey): Alert | null {
  if (key === 'renewed' || key === 'test') return { kind: key };
  if (key === 'expired') return expiredAlert(0);
  const repeat = after(key, 'expired+');
  if (repeat !== null) {
    const daysAfter = wholeNumber(repeat);
    return daysAfter === null || daysAfter === 0 ? null : expiredAlert(daysAfter);
  }
  const threshold = after(key, 't');
  if (threshold !== null) {
    const days = wholeNumber(threshold);
    return days === null || days === 0 ? null : thresholdAlert(days);
  }
  const invalid = after(key, 'invalid:');
  if (invalid !== null) {
    // The state is everything before the last colon: `since` is a number and has none.
    const colon = invalid.lastIndexOf(':');
    const since = wholeNumber(invalid.slice(colon + 1));
    return colon <= 0 || since === null ? null : { kind: 'invalid', state: invalid.slice(0, colon), since };
  }
  for (const kind of ['source-stale', 'source-recovered'] as const) {
    const source = after(key, `${kind}:`);
    if (source !== null) return { kind, source };
  }
  return null;
}

/** The threshold in days of a threshold alert, null for any other (the `threshold` field of the logs). */
export function thresholdDays(alert: Alert | null): number | null {
  return alert?.kind === 'threshold' ? alert.days : null;
}

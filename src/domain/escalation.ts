// Escalation: who else hears about a token when it is about to lapse or has lapsed. Escalation contacts (a token's
// own, or the defaults) receive the token's smallest-threshold reminder (the 7-day one with 60,30,7) and every
// expired alert, besides the usual recipients; never the earlier reminders. Pure.
import type { Alert } from './alert';

/** Escalation contacts per channel: email addresses, Slack channels or user ids, Teams webhook names. */
export interface EscalationContacts {
  readonly email: readonly string[];
  readonly slack: readonly string[];
  readonly teams: readonly string[];
}

export const NO_ESCALATION: EscalationContacts = Object.freeze({ email: [], slack: [], teams: [] });

/** A token's own escalation contacts per channel; null on a channel takes the default. */
export interface EscalationFields {
  readonly escalateEmail?: readonly string[] | null;
  readonly escalateSlack?: readonly string[] | null;
  readonly escalateTeams?: readonly string[] | null;
}

/**
 * Whether `alert` goes to the escalation contacts too: the token's smallest threshold (its own thresholds, or the
 * default ones) and every expired alert, repeats included. Renewal confirmations, tests and source alerts do not.
 */
export function isEscalated(alert: Alert, smallestThreshold: number): boolean {
  if (alert.kind === 'expired') return true;
  return alert.kind === 'threshold' && alert.days === smallestThreshold;
}

/** The contacts for `token`: its own per channel, else the defaults. */
export function escalationContacts(token: EscalationFields, defaults: EscalationContacts): EscalationContacts {
  return {
    email: token.escalateEmail ?? defaults.email,
    slack: token.escalateSlack ?? defaults.slack,
    teams: token.escalateTeams ?? defaults.teams,
  };
}

// Is a renewal plausible? Apple names every download for a location the same way, so renewing with last year's file
// is an easy mistake: it would move the expiry backwards and confirm a renewal that did not happen. Pure.
import type { DateTime } from 'luxon';

export interface RenewalCandidate {
  readonly expiresAt: DateTime;
  /** SHA-256 of the new token file, when the renewal comes from a file. */
  readonly fingerprint: string | null;
}

export interface RenewedToken {
  readonly name: string;
  readonly expiresAt: DateTime;
  /** Every token-file fingerprint this token has had (its current one included). */
  readonly fingerprints: ReadonlySet<string>;
}

/**
 * What is wrong with renewing `token` to `candidate`, each as one sentence naming the dates in `zone`; empty when
 * nothing is. A renewal must move the expiry later, and a file must be one this token never had.
 */
export function renewalProblems(token: RenewedToken, candidate: RenewalCandidate, zone: string): string[] {
  const problems: string[] = [];
  const day = (at: DateTime): string => at.setZone(zone).toISODate() ?? at.toISO() ?? '';
  if (candidate.expiresAt <= token.expiresAt) {
    const how = candidate.expiresAt.equals(token.expiresAt) ? 'the same as' : 'earlier than';
    problems.push(`the new expiry ${day(candidate.expiresAt)} is ${how} the current one ${day(token.expiresAt)}`);
  }
  if (candidate.fingerprint !== null && token.fingerprints.has(candidate.fingerprint)) {
    problems.push(`this token already had this file (SHA-256 ${candidate.fingerprint.slice(0, 12)}…)`);
  }
  return problems;
}

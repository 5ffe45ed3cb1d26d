// What a source said of a credential, as the registry keeps it: the states a source can report, the facts it may set,
// and one row of token_sources (a source's id linked to a token). Pure types, shared by the sources (which report and
// reconcile them) and the store (which keeps them), so that neither imports the other.
import type { DateTime } from 'luxon';

/**
 * What a source says of a credential's health. `valid` is the normal case; anything else raises its own alert
 * ("invalid before its date") once per occurrence.
 */
export type SourcedState = (typeof SOURCED_STATES)[number];

/** Every state a source may report. */
export const SOURCED_STATES = ['valid', 'expired', 'invalid', 'revoked', 'assignedToExternalMDM', 'duplicateLocationId', 'unknown'] as const;

/** Facts a source may set: location, topic, orgName, Apple's uId, country. Absent keys are unknown. */
export type SourcedFacts = Readonly<{
  orgName?: string;
  locationName?: string;
  topic?: string;
  uId?: string;
  countryCode?: string;
  serverName?: string;
  /** SHA-256 (hex) of the file's bytes, for file-based sources. */
  fingerprint?: string;
  /** What the source said of a bad state, as it said it (e.g. Apple's errorMessage); never a secret. */
  detail?: string;
}>;

/** What a source reported earlier for one of its ids (a row of token_sources). */
export interface SourceLink {
  readonly source: string;
  readonly sourceId: string;
  readonly tokenId: number;
  readonly name: string;
  readonly expiresAt: DateTime | null;
  readonly state: SourcedState;
  /** When the source first reported this state: what tells one occurrence of a bad state from the next. */
  readonly stateSince: DateTime;
  readonly facts: SourcedFacts;
  /** When the source stopped listing this id; null while it lists it. */
  readonly goneAt: DateTime | null;
}

/** What a source says of one of its ids now: a link as it is written (it is listed again, so not gone). */
export type LinkUpdate = Omit<SourceLink, 'goneAt'>;

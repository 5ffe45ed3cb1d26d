// The one interface every source of credentials implements (a token folder, Apple's Apps and Books API, Intune,
// Jamf Pro); one contract suite runs against each. Sources only read: they never change Apple or an MDM.
import type { DateTime } from 'luxon';
import type { MdmName } from '../domain/kinds';
import type { SourcedFacts, SourcedState } from '../domain/source-link';
import type { TokenKind } from '../domain/token';

/** Which console a credential is uploaded to; selects the console part of the renewal steps (src/domain/kinds/mdm.ts). */
export type { MdmName } from '../domain/kinds';

/** What a source says of a credential's health, and the facts it may set (src/domain/source-link.ts). */
export type { SourcedFacts, SourcedState } from '../domain/source-link';

/** One credential as a source sees it. Never carries a secret (a token's content, a private key). */
export interface SourcedCredential {
  /** Stable id of the credential in that source (a Graph id, a Jamf id, a file's name): with the source's name, its key. */
  readonly sourceId: string;
  readonly kind: TokenKind;
  /** What a person recognises: the name `import` would give, or the MDM's own name for it. */
  readonly name: string;
  /** Null when the source does not know it (the registry keeps what it has). */
  readonly expiresAt: DateTime | null;
  readonly state: SourcedState;
  /** The Apple account the MDM records for it; fills the token's Apple ID only when none was recorded. */
  readonly appleId: string | null;
  /** The MDM this source speaks for; null for sources that are not an MDM (a folder, Apple). */
  readonly mdm: MdmName | null;
  /** Facts a source may set: location, topic, orgName, Apple's uId, country. Absent keys are unknown. */
  readonly facts: SourcedFacts;
}

/** A problem with one entry that does not fail the whole source (a file that does not parse): reported, skipped. */
export interface SourceWarning {
  readonly sourceId: string;
  readonly message: string;
}

export interface SourceReading {
  readonly credentials: readonly SourcedCredential[];
  readonly warnings: readonly SourceWarning[];
}

export interface Source {
  /** Unique among the configured sources: `folder`, `apple`, `intune:contoso`, `jamf:main`. */
  readonly name: string;
  /**
   * Reads every credential the source knows. Throws when the source as a whole cannot be read (network,
   * authentication, an error answer); per-entry problems are warnings. `signal` aborts a read in progress.
   */
  read(signal?: AbortSignal): Promise<SourceReading>;
  /** Checks the source can be reached and its credentials work, for `doctor`; resolves to a one-line summary. */
  check(signal?: AbortSignal): Promise<string>;
}

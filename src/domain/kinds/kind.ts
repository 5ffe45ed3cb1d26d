// What every token kind provides: its words, what breaks when it lapses, Apple's portal, and the renewal steps per MDM
// console. Pure data; one file per kind (vpp.ts, apns.ts, ade.ts) and one registration in index.ts.
import type { MdmName } from './mdm';

/** An Apple web portal where the credential is renewed. */
export interface Portal {
  readonly name: string;
  readonly url: string;
}

/**
 * The wording of each renewal step. Step texts are templates: `{{placeholder}}` is filled per token (see
 * renewal-steps.ts for the names). Multi-line; each line is shown as written.
 */
export interface KindSteps {
  /** Step 1: the Apple side (the portal), the same whatever the MDM. */
  readonly apple: string;
  /** Step 2: upload the new credential in the MDM console. */
  readonly console: Readonly<Record<MdmName, string>>;
  /** Step 3: check in the console that it took. */
  readonly verify: Readonly<Record<MdmName, string>>;
  /** Step 4: what stops working after expiry. */
  readonly impact: string;
  /** Step 5: tell tokenwatch about the new credential. */
  readonly tellTokenwatch: string;
}

export interface KindSpec<K extends string = string> {
  readonly kind: K;
  /** Short label: `VPP`, `APNs`, `ADE`. */
  readonly label: string;
  /** The noun an administrator uses: `content token`, `push certificate`, `server token`. */
  readonly noun: string;
  /** How a message names one credential of this kind: `VPP token`, `APNs push certificate`, `ADE server token`. */
  readonly title: string;
  /** The file Apple gives, for help texts: `.vpptoken`, `.pem`, `_smime.p7m`. */
  readonly fileHint: string;
  /** Where it is renewed, first the one to use today. */
  readonly portals: readonly Portal[];
  /** One line: what fails first, for the "urgent" line ("renew it today, before …"). */
  readonly urgentConsequence: string;
  /** The title of step 1 (the Apple side). */
  readonly appleTitle: string;
  readonly steps: KindSteps;
}

// What a message says that depends on the kind of token: its label, title, noun, what fails first and where it is
// renewed at Apple. Messages take these as an input (KindWords); they come from the kinds registry
// (src/domain/kinds/), where each kind keeps all its words.
import { kindSpec } from './kinds';
import type { Link } from './message/message';
import type { TokenKind } from './token';

export interface KindWords {
  /** `VPP`, `APNs`, `ADE`. */
  readonly label: string;
  /** How a message names one credential: `VPP token`, `APNs push certificate`, `ADE server token`. */
  readonly title: string;
  /** `content token`, `push certificate`, `server token`. */
  readonly noun: string;
  /** What fails first, for the urgent line: `before the MDM can no longer reach any device`. */
  readonly urgentConsequence: string;
  /** The Apple portals where a credential of this kind is renewed, the usual one first. */
  readonly portals: readonly Link[];
}

/** The words for `kind`; a kind this build does not know gets the VPP words (see kindSpec). */
export function kindWords(kind: TokenKind): KindWords {
  const spec = kindSpec(kind);
  return {
    label: spec.label,
    title: spec.title,
    noun: spec.noun,
    urgentConsequence: spec.urgentConsequence,
    portals: spec.portals.map((portal) => ({ label: portal.name, url: portal.url })),
  };
}

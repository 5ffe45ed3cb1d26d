// What a message says that depends on the kind of token: its label and where it is renewed at Apple. Pure data.
// Messages take these as an input (KindWords), so a kind's vocabulary lives in one place.
import type { Link } from './message/message';
import { TOKEN_KIND_LABELS, type TokenKind } from './token';

export interface KindWords {
  /** `VPP`, `APNs`, `ADE`: written before "token". */
  readonly label: string;
  /** The Apple portals where a token of this kind is downloaded again, the usual one first. */
  readonly portals: readonly Link[];
}

// Apple's own sign-in addresses: Apple Business Manager https://business.apple.com and Apple School Manager
// https://school.apple.com (content and device-enrollment server tokens are downloaded there), and the Apple Push
// Certificates Portal https://identity.apple.com/pushcert/ (APNs certificates are renewed there). The kinds module
// (src/domain/kinds/) is the place for more words per kind; this is the part messages need.
const BUSINESS: Link = { label: 'Apple Business Manager', url: 'https://business.apple.com/' };
const SCHOOL: Link = { label: 'Apple School Manager', url: 'https://school.apple.com/' };
const PUSH_CERTIFICATES: Link = { label: 'Apple Push Certificates Portal', url: 'https://identity.apple.com/pushcert/' };

const PORTALS: Readonly<Record<TokenKind, readonly Link[]>> = {
  vpp: [BUSINESS, SCHOOL],
  ade: [BUSINESS, SCHOOL],
  apns: [PUSH_CERTIFICATES],
};

/** The words for `kind`; a kind this build does not know is shown by its name, with no portal. */
export function kindWords(kind: TokenKind): KindWords {
  return { label: TOKEN_KIND_LABELS[kind] ?? String(kind), portals: PORTALS[kind] ?? [] };
}

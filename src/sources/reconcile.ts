// Source reconciliation: what one source's reading means for the registry. Pure (no I/O, time as a parameter): given
// what the source reports, the tokens and what every source reported before, it returns a plan; sync.ts records it.
// A source sets expiries (a later one is a renewal, an earlier one is only reported), states and facts; never
// contacts, except filling an Apple ID that was never recorded.
import type { DateTime } from 'luxon';
import type { SourceLink, SourcedFacts, SourcedState } from '../domain/source-link';
import type { TokenKind } from '../domain/token';
import type { SourceReading, SourcedCredential } from './source';

/** The registry fields reconciliation reads. */
export interface KnownToken {
  readonly id: number;
  readonly name: string;
  readonly kind: TokenKind;
  readonly orgName: string | null;
  readonly expiresAt: DateTime;
  readonly appleId: string | null;
  readonly fingerprint: string | null;
}

/**
 * How a credential's expiry compares with its token's: `new` (a token to add), `renewal` (later: recorded as `renew`
 * would), `earlier` (reported, never applied), `same`, `superseded` (an older credential the token has moved past,
 * e.g. last year's file still in the folder: quiet), `unknown` (the source gives no expiry).
 */
export type ExpiryVerdict = 'new' | 'renewal' | 'earlier' | 'same' | 'superseded' | 'unknown';

export interface CredentialPlan {
  readonly credential: SourcedCredential;
  /** The token it is, or the name a new token gets. */
  readonly target: { readonly type: 'existing'; readonly token: KnownToken } | { readonly type: 'new'; readonly name: string };
  readonly expiry: ExpiryVerdict;
  /** The state before (null: first report) when it changed; null when unchanged. */
  readonly stateChange: { readonly from: SourcedState | null; readonly to: SourcedState } | null;
  /** When the credential's current state began: now when it changed, else as recorded. */
  readonly stateSince: DateTime;
  /** True when a bad state is news for the token's current credential: raise "invalid before its date". */
  readonly shouldAlert: boolean;
  /** The Apple ID to fill in (the token had none); null leaves it. */
  readonly fillAppleId: string | null;
  readonly isNewLink: boolean;
  /** The source listed it again after it had gone. */
  readonly isBack: boolean;
}

export interface SourceSyncPlan {
  readonly source: string;
  readonly credentials: readonly CredentialPlan[];
  /** Ids the source listed before and no longer does: their tokens stay registered. */
  readonly gone: readonly SourceLink[];
}

export interface SourceSyncInput {
  readonly source: string;
  readonly reading: SourceReading;
  readonly tokens: readonly KnownToken[];
  /** What every source reported before (this one's rows and the others'). */
  readonly links: readonly SourceLink[];
  readonly now: DateTime;
}

/** States that mean the credential no longer works before its date. `unknown` is not one: the source cannot tell. */
export function isBadState(state: SourcedState): boolean {
  return state !== 'valid' && state !== 'unknown';
}

/** What makes two credentials of a kind the same token: orgName (VPP), topic (APNs), server (ADE). */
export function identityOf(kind: TokenKind, facts: SourcedFacts): string | null {
  const value = kind === 'vpp' ? facts.orgName : kind === 'apns' ? facts.topic : facts.serverName;
  return value === undefined || value === '' ? null : `${kind}:${value}`;
}

/**
 * The keys a token is found under. A content token is one Apple location: Apple's uId says so outright; otherwise
 * organisation and Apple ID. Several locations of one organisation share its name (Intune and Jamf Pro list them
 * apart, each with its own Apple ID), so a credential that names its Apple ID matches a token with that Apple ID, or
 * one whose Apple ID was never recorded (`|?`), never one recorded with another; a token file, which names no Apple
 * ID, matches by organisation alone.
 */
function tokenKeys(kind: TokenKind, facts: SourcedFacts, appleId: string | null): string[] {
  const keys: string[] = [];
  if (kind === 'vpp' && facts.uId !== undefined && facts.uId !== '') keys.push(`vpp:uid:${facts.uId}`);
  const identity = identityOf(kind, facts);
  if (identity === null) return keys;
  keys.push(identity);
  if (kind === 'vpp') keys.push(appleId === null || appleId === '' ? `${identity}|?` : `${identity}|${appleId.toLowerCase()}`);
  return keys;
}

/** The keys a credential looks its token up by, most specific first (see tokenKeys). */
function lookupKeys(credential: SourcedCredential): string[] {
  const { kind, facts, appleId } = credential;
  const keys: string[] = [];
  if (kind === 'vpp' && facts.uId !== undefined && facts.uId !== '') keys.push(`vpp:uid:${facts.uId}`);
  const identity = identityOf(kind, facts);
  if (identity === null) return keys;
  if (kind === 'vpp' && appleId !== null && appleId !== '') keys.push(`${identity}|${appleId.toLowerCase()}`, `${identity}|?`);
  else keys.push(identity);
  return keys;
}

const sameInstant = (a: DateTime | null, b: DateTime | null): boolean =>
  a === null || b === null ? a === b : a.toMillis() === b.toMillis();

/**
 * Plans one source's sync. Credentials are matched to tokens by the source's own id first, then by file fingerprint,
 * then by identity (same orgName, topic or server); the rest are new tokens, named as `import` names them (a taken
 * name gets the source id appended). Within one reading the latest credential of an identity is the token and
 * older ones are superseded, so a folder holding last year's and this year's file adds one token, not two.
 */
export function planSourceSync(input: SourceSyncInput): SourceSyncPlan {
  const { source, reading, now } = input;
  const tokensById = new Map(input.tokens.map((token) => [token.id, token]));
  const own = new Map(input.links.filter((link) => link.source === source).map((link) => [link.sourceId, link]));
  const byFingerprint = new Map<string, number>();
  const byIdentity = new Map<string, number>();
  for (const token of input.tokens) {
    if (token.fingerprint !== null) byFingerprint.set(token.fingerprint, token.id);
    for (const key of tokenKeys(token.kind, token.orgName === null ? {} : { orgName: token.orgName }, token.appleId)) byIdentity.set(key, token.id);
  }
  for (const link of input.links) {
    const token = tokensById.get(link.tokenId);
    if (token === undefined) continue;
    if (link.facts.fingerprint !== undefined && !byFingerprint.has(link.facts.fingerprint)) byFingerprint.set(link.facts.fingerprint, link.tokenId);
    for (const key of tokenKeys(token.kind, link.facts, token.appleId)) if (!byIdentity.has(key)) byIdentity.set(key, link.tokenId);
  }
  /** Expiries other sources reported for a file (by fingerprint): an old file the folder already called superseded. */
  const seenElsewhere = new Set<string>();
  for (const link of input.links) {
    if (link.source !== source && link.facts.fingerprint !== undefined && link.expiresAt !== null) {
      seenElsewhere.add(`${link.facts.fingerprint}@${link.expiresAt.toMillis()}`);
    }
  }
  const usedNames = new Set(input.tokens.map((token) => token.name));
  // Tokens as this plan leaves them (a renewal earlier in the reading moves the expiry later ones compare with).
  const current = new Map(input.tokens.map((token) => [token.id, token]));
  /** New tokens planned in this reading, by identity, so a second credential of the same identity joins it. */
  const planned = new Map<string, { name: string; expiresAt: DateTime | null }>();
  /** Tokens this reading renews: older credentials of theirs in the same reading are superseded, not news. */
  const renewedHere = new Set<number>();

  // Latest first, so that the newest credential of an identity decides and older ones are superseded.
  const ordered = [...reading.credentials].sort((a, b) => (b.expiresAt?.toMillis() ?? 0) - (a.expiresAt?.toMillis() ?? 0));
  const plans: CredentialPlan[] = [];
  for (const credential of ordered) {
    const link = own.get(credential.sourceId) ?? null;
    const keys = lookupKeys(credential);
    // What ties credentials of one reading to a token it adds: the most specific key (not the any-Apple-ID one).
    const identity = keys.find((key) => !key.endsWith('|?')) ?? null;
    const linkedId = link !== null && tokensById.has(link.tokenId) ? link.tokenId : null;
    const fingerprintId = credential.facts.fingerprint === undefined ? undefined : byFingerprint.get(credential.facts.fingerprint);
    const identityId = keys.map((key) => byIdentity.get(key)).find((id) => id !== undefined);
    const tokenId = linkedId ?? fingerprintId ?? identityId ?? null;
    const token = tokenId === null ? null : (current.get(tokenId) ?? null);

    const stateChanged = link === null || link.state !== credential.state || link.goneAt !== null;
    const stateSince = link !== null && link.state === credential.state && link.goneAt === null ? link.stateSince : now;
    const stateChange = link === null || link.state !== credential.state ? { from: link?.state ?? null, to: credential.state } : null;

    if (token === null) {
      const earlier = identity === null ? undefined : planned.get(identity);
      if (earlier !== undefined) {
        // An older credential of a token this reading adds: it joins that token, quietly.
        plans.push({
          credential,
          target: { type: 'new', name: earlier.name },
          expiry: 'superseded',
          stateChange,
          stateSince,
          shouldAlert: false,
          fillAppleId: null,
          isNewLink: true,
          isBack: false,
        });
        continue;
      }
      const name = freeName(credential, usedNames);
      usedNames.add(name);
      if (identity !== null) planned.set(identity, { name, expiresAt: credential.expiresAt });
      plans.push({
        credential,
        target: { type: 'new', name },
        expiry: 'new',
        stateChange,
        stateSince,
        shouldAlert: isBadState(credential.state) && stateChanged,
        fillAppleId: null,
        isNewLink: true,
        isBack: false,
      });
      continue;
    }

    const isKnownElsewhere =
      credential.facts.fingerprint !== undefined &&
      credential.expiresAt !== null &&
      seenElsewhere.has(`${credential.facts.fingerprint}@${credential.expiresAt.toMillis()}`);
    const expiry = verdict(credential, link, token, renewedHere.has(token.id) || isKnownElsewhere);
    if (expiry === 'renewal' && credential.expiresAt !== null) {
      renewedHere.add(token.id);
      current.set(token.id, {
        ...token,
        expiresAt: credential.expiresAt,
        ...(credential.facts.fingerprint === undefined ? {} : { fingerprint: credential.facts.fingerprint }),
      });
    }
    // A bad state speaks for the token only when this credential is the token's current one.
    const isCurrent = expiry !== 'superseded' && expiry !== 'earlier';
    const fillAppleId = token.appleId === null && credential.appleId !== null && credential.appleId !== '' ? credential.appleId : null;
    plans.push({
      credential,
      target: { type: 'existing', token },
      expiry,
      stateChange,
      stateSince,
      shouldAlert: isCurrent && isBadState(credential.state) && stateChanged,
      fillAppleId,
      isNewLink: link === null,
      isBack: link !== null && link.goneAt !== null,
    });
  }

  const listed = new Set(reading.credentials.map((credential) => credential.sourceId));
  // An entry the source could not read this time (a broken file) is still there: not gone.
  for (const warning of reading.warnings) listed.add(warning.sourceId);
  const gone = [...own.values()].filter((link) => link.goneAt === null && !listed.has(link.sourceId));
  return { source, credentials: plans, gone };
}

/** `isSeenBefore`: renewed earlier in this reading, or another source already reported this very file and date. */
function verdict(credential: SourcedCredential, link: SourceLink | null, token: KnownToken, isSeenBefore: boolean): ExpiryVerdict {
  const seen = credential.expiresAt;
  if (seen === null) return 'unknown';
  const registered = token.expiresAt.toMillis();
  if (seen.toMillis() > registered) return 'renewal';
  if (seen.toMillis() === registered) return 'same';
  // Earlier than the registry. The same word as last time means the token moved on (renewed elsewhere): quiet.
  if (isSeenBefore || (link !== null && sameInstant(link.expiresAt, seen))) return 'superseded';
  return 'earlier';
}

/** The credential's own name, or with its source id appended when another token has it. */
function freeName(credential: SourcedCredential, used: ReadonlySet<string>): string {
  if (!used.has(credential.name)) return credential.name;
  const withId = `${credential.name} (${credential.sourceId})`;
  if (!used.has(withId)) return withId;
  for (let n = 2; ; n += 1) if (!used.has(`${withId} ${n}`)) return `${withId} ${n}`;
}

// The registry of token kinds. Adding a kind: one file beside this one (its KindSpec) and one line in KINDS.
import { ADE } from './ade';
import { APNS } from './apns';
import type { KindSpec } from './kind';
import { VPP } from './vpp';

export type { KindSpec, KindSteps, Portal } from './kind';
export { MDM_LABELS, MDM_NAMES, isMdmName, type MdmName } from './mdm';
export { MDM_PUSH_TOPIC_PREFIX } from './apns';

// The one registration per kind.
const REGISTERED = { vpp: VPP, apns: APNS, ade: ADE } as const;

export type TokenKind = keyof typeof REGISTERED;

export const KINDS: Readonly<Record<TokenKind, KindSpec<TokenKind>>> = REGISTERED;

/** The kinds, in the order they are listed in help texts. */
export const TOKEN_KINDS: readonly TokenKind[] = Object.freeze(Object.keys(REGISTERED) as TokenKind[]);

/** The spec of `kind`; VPP for a kind this build does not know (a row written by a newer version). */
export function kindSpec(kind: string): KindSpec<TokenKind> {
  return (KINDS as Readonly<Record<string, KindSpec<TokenKind> | undefined>>)[kind] ?? VPP;
}

/** Short labels: VPP, APNs, ADE. */
export const TOKEN_KIND_LABELS: Readonly<Record<TokenKind, string>> = Object.freeze(
  Object.fromEntries(TOKEN_KINDS.map((kind) => [kind, KINDS[kind].label])) as Record<TokenKind, string>,
);

/** `a VPP token`, `an APNs push certificate`, `an ADE server token`. */
export function titleWithArticle(kind: string): string {
  const { title } = kindSpec(kind);
  return `${/^[AEIOU]/.test(title) ? 'an' : 'a'} ${title}`;
}

// Which token files a folder holds, one recognizer per kind: the file's name says whether it is one, its bytes what
// it is. VPP (.vpptoken) today; APNs certificates and ADE tokens register here once their parsers exist. Pure.
import type { DateTime } from 'luxon';
import type { TokenKind } from '../domain/token';
import { parseTokenFile } from '../domain/token-file';
import { parseTokenName } from '../domain/token-fields';
import type { SourcedCredential } from './source';

/** What a recognizer reads from one file: never the secret inside it. */
export interface RecognizedFile {
  readonly kind: TokenKind;
  /** The name `import` gives the token. */
  readonly name: string;
  readonly expiresAt: DateTime;
  readonly facts: SourcedCredential['facts'];
}

export interface TokenFileKind {
  readonly kind: TokenKind;
  /** Whether a file of this name is this kind's (by its extension). */
  isKindOf(fileName: string): boolean;
  /** Parses the bytes; throws an InputError naming `label` when they are not such a file. */
  parse(label: string, bytes: Uint8Array): RecognizedFile;
}

export const VPP_TOKEN_FILE: TokenFileKind = {
  kind: 'vpp',
  isKindOf: (fileName) => fileName.toLowerCase().endsWith('.vpptoken'),
  parse(label, bytes) {
    const parsed = parseTokenFile(label, bytes);
    return {
      kind: 'vpp',
      // As `import` names it: the file's orgName.
      name: parseTokenName(parsed.orgName, `${label}: orgName`),
      expiresAt: parsed.expiresAt,
      facts: { orgName: parsed.orgName, fingerprint: parsed.fingerprint },
    };
  },
};

/** The kinds a token folder recognizes, first match wins. */
export const TOKEN_FILE_KINDS: readonly TokenFileKind[] = [VPP_TOKEN_FILE];

export function kindOfFile(fileName: string, kinds: readonly TokenFileKind[] = TOKEN_FILE_KINDS): TokenFileKind | null {
  return kinds.find((kind) => kind.isKindOf(fileName)) ?? null;
}

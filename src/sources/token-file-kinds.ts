// Which token files a folder holds, one recognizer per kind: the file's name says whether it is one, its bytes what
// it is: VPP content tokens (.vpptoken), APNs push certificates (.pem, .cer, .crt) and ADE server tokens
// (<Server>_Token_<time>_smime.p7m, expiry estimated from the name; a name without a time is reported, skipped). Pure.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DateTime } from 'luxon';
import { InputError } from '../errors';
import { estimatedAdeExpiry, parseAdeFileName } from '../domain/kinds/ade-token-file';
import { parseApnsCertificate } from '../domain/kinds/apns-certificate';
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

export const APNS_CERTIFICATE_FILE: TokenFileKind = {
  kind: 'apns',
  isKindOf: (fileName) => /\.(pem|cer|crt)$/i.test(fileName),
  parse(label, bytes) {
    const parsed = parseApnsCertificate(label, bytes);
    // As `import` names it without --apple-id: its topic, which is also what makes a renewal the same certificate.
    return { kind: 'apns', name: parsed.topic, expiresAt: parsed.expiresAt, facts: { topic: parsed.topic, fingerprint: parsed.fingerprint } };
  },
};

export const ADE_TOKEN_FILE: TokenFileKind = {
  kind: 'ade',
  isKindOf: (fileName) => /\.p7m$/i.test(fileName),
  parse(label, bytes) {
    const { serverName, downloadedAt } = parseAdeFileName(path.basename(label));
    if (downloadedAt === null) {
      throw new InputError(`${label}: the file name carries no download time (expected <Server>_Token_<time>_smime.p7m; import it with --expires)`);
    }
    return {
      kind: 'ade',
      name: parseTokenName(serverName, `${label}: server name`),
      expiresAt: estimatedAdeExpiry(downloadedAt),
      facts: { serverName, fingerprint: createHash('sha256').update(bytes).digest('hex') },
    };
  },
};

/** The kinds a token folder recognizes, first match wins. */
export const TOKEN_FILE_KINDS: readonly TokenFileKind[] = [VPP_TOKEN_FILE, APNS_CERTIFICATE_FILE, ADE_TOKEN_FILE];

export function kindOfFile(fileName: string, kinds: readonly TokenFileKind[] = TOKEN_FILE_KINDS): TokenFileKind | null {
  return kinds.find((kind) => kind.isKindOf(fileName)) ?? null;
}

// Which Apple credential a file holds, told from its content (and, for S/MIME, its name), and what tokenwatch keeps of
// it. Pure. A .vpptoken is base64 JSON; an APNs push certificate is PEM or DER X.509; an ADE server token is an S/MIME
// `.p7m`. Nothing secret is returned: no token value, no key, no decrypted content.
import type { DateTime } from 'luxon';
import { InputError } from '../errors';
import { adeExpiryWithKey, estimatedAdeExpiry, looksLikeAdeToken, parseAdeFileName } from './kinds/ade-token-file';
import { looksLikeCertificate, parseApnsCertificate } from './kinds/apns-certificate';
import { parseTokenFile } from './token-file';
import { createHash } from 'node:crypto';

export type ParsedCredential =
  | { readonly kind: 'vpp'; readonly orgName: string; readonly expiresAt: DateTime; readonly fingerprint: string }
  | { readonly kind: 'apns'; readonly topic: string; readonly expiresAt: DateTime; readonly fingerprint: string }
  | {
      readonly kind: 'ade';
      readonly serverName: string;
      /** From the file name; null when it carries no time. */
      readonly downloadedAt: DateTime | null;
      /** Exact (from the decrypted token) or estimated (download time + 1 year); null when neither is known. */
      readonly expiresAt: DateTime | null;
      readonly isEstimate: boolean;
      readonly fingerprint: string;
    };

/** The MDM server's private key, to read an ADE token's exact expiry. Secret: used, never kept. */
export interface AdeKey {
  readonly label: string;
  readonly pem: string;
}

/**
 * Parses `bytes` (the file `label`, whose base name is `baseName`) as whichever credential it holds. `key` is only
 * for ADE tokens; given with another kind it is refused.
 */
export function parseCredentialFile(label: string, baseName: string, bytes: Uint8Array, key: AdeKey | null = null): ParsedCredential {
  if (looksLikeAdeToken(baseName, bytes)) {
    const name = parseAdeFileName(baseName);
    const fingerprint = createHash('sha256').update(bytes).digest('hex');
    if (key !== null) {
      const expiresAt = adeExpiryWithKey(label, bytes, key.label, key.pem);
      return { kind: 'ade', serverName: name.serverName, downloadedAt: name.downloadedAt, expiresAt, isEstimate: false, fingerprint };
    }
    const expiresAt = name.downloadedAt === null ? null : estimatedAdeExpiry(name.downloadedAt);
    return { kind: 'ade', serverName: name.serverName, downloadedAt: name.downloadedAt, expiresAt, isEstimate: expiresAt !== null, fingerprint };
  }
  if (key !== null) throw new InputError(`--key: only an ADE server token (_smime.p7m) is decrypted with a key (${label} is not one)`);
  if (looksLikeCertificate(bytes)) return { kind: 'apns', ...parseApnsCertificate(label, bytes) };
  return { kind: 'vpp', ...parseTokenFile(label, bytes) };
}

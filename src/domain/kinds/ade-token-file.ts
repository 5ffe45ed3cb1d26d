// Reads what tokenwatch may know of an ADE server token file (`<Server>_Token_<time>_smime.p7m`) without keeping any of
// it: the server name and download time from the file name (expiry estimated one year later), or, given the MDM's
// private key, the exact `access_token_expiry` from the decrypted token. The file is an S/MIME (CMS EnvelopedData)
// message encrypted to the MDM server's public key (Apple: "Authenticating with a Device Enrollment Program (DEP)
// Server", https://developer.apple.com/documentation/devicemanagement/authenticating-with-a-device-enrollment-program-dep-server).
// Pure: the decrypted token (OAuth secrets) never leaves this module; only the date does.
import { DateTime } from 'luxon';
import type forgeModule from 'node-forge';
import { InputError, quoted } from '../../errors';

// node-forge (TLS, X.509, PKCS#7/#12, ciphers: about 4 MiB of the daemon's heap) is loaded only when a token is
// decrypted with a key; the file-name readers below are what the folder source and the daemon use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadForge = (): typeof forgeModule => require('node-forge') as typeof forgeModule;

/** `Acme_MDM_Token_2026-07-01T22-18-53Z_smime.p7m` → server `Acme_MDM`, downloaded 2026-07-01T22:18:53Z. */
const FILE_NAME = /^(.+)_Token_(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z_smime\.p7m$/i;
const ANY_P7M = /\.p7m$/i;

export interface AdeFileName {
  /** The MDM server's name in Apple Business / School Manager, as the file name carries it. */
  readonly serverName: string;
  /** When the token was downloaded; null when the file name does not carry it. */
  readonly downloadedAt: DateTime | null;
}

/** True for a `.p7m` file name or S/MIME content. */
export function looksLikeAdeToken(fileName: string, bytes: Uint8Array): boolean {
  if (ANY_P7M.test(fileName)) return true;
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').toLowerCase();
  return head.includes('application/pkcs7-mime') || head.includes('application/x-pkcs7-mime');
}

/** The server name and download time carried by the file name (its base name, without folders). */
export function parseAdeFileName(baseName: string): AdeFileName {
  const match = FILE_NAME.exec(baseName);
  if (match === null) return { serverName: baseName.replace(ANY_P7M, '').replace(/_smime$/i, ''), downloadedAt: null };
  const [, server, day, hour, minute, second] = match;
  const downloadedAt = DateTime.fromISO(`${day}T${hour}:${minute}:${second}Z`, { zone: 'utc' });
  return { serverName: server ?? baseName, downloadedAt: downloadedAt.isValid ? downloadedAt : null };
}

/** The estimated expiry: one year after the download (seen in public samples; Apple documents a one-year life). */
export function estimatedAdeExpiry(downloadedAt: DateTime): DateTime {
  return downloadedAt.plus({ years: 1 });
}

/** The DER bytes of the CMS message: S/MIME (headers, blank line, base64), bare base64, or DER as is. */
function cmsDer(label: string, bytes: Uint8Array): string {
  if (bytes[0] === 0x30) return Buffer.from(bytes).toString('binary');
  const text = Buffer.from(bytes).toString('latin1');
  const split = /\r?\n\r?\n/.exec(text);
  const hasHeaders = /^[A-Za-z-]+:/.test(text) && split !== null;
  const body = (hasHeaders ? text.slice(split.index + split[0].length) : text).replace(/\s+/g, '');
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new InputError(`${label}: not an S/MIME message (expected the _smime.p7m server token downloaded from Apple Business or Apple School Manager)`);
  }
  return Buffer.from(body, 'base64').toString('binary');
}

/**
 * The token's `access_token_expiry`, read by decrypting the file with the MDM server's private key (PEM, not
 * encrypted). Throws InputError naming the file or the key when either does not fit; never includes their contents.
 */
export function adeExpiryWithKey(label: string, bytes: Uint8Array, keyLabel: string, keyPem: string): DateTime {
  const forge = loadForge();
  let key: forgeModule.pki.rsa.PrivateKey;
  try {
    key = forge.pki.privateKeyFromPem(keyPem);
  } catch {
    throw new InputError(`${keyLabel}: not an unencrypted RSA private key in PEM (expected the MDM server's private key, -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)`);
  }
  let message: forgeModule.pkcs7.PkcsEnvelopedData;
  try {
    const parsed = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(cmsDer(label, bytes)));
    if (!('recipients' in parsed)) throw new Error('not enveloped data');
    message = parsed;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${label}: not an S/MIME enveloped message (expected the _smime.p7m server token downloaded from Apple)`);
  }
  let plain: string | null = null;
  for (const recipient of message.recipients) {
    try {
      message.decrypt(recipient, key);
      plain = message.content === undefined ? null : (message.content as forgeModule.util.ByteStringBuffer).bytes();
      if (plain !== null) break;
    } catch {
      // Not encrypted to this key: try the next recipient.
    }
  }
  if (plain === null) {
    throw new InputError(`${label}: cannot be decrypted with ${keyLabel} (expected the private key of the MDM server this token was downloaded for)`);
  }
  const json = plain.slice(plain.indexOf('{'), plain.lastIndexOf('}') + 1);
  let expiry: unknown;
  try {
    expiry = (JSON.parse(json) as Record<string, unknown>)['access_token_expiry'];
  } catch {
    throw new InputError(`${label}: the decrypted token is not JSON (expected a server token with access_token_expiry)`);
  }
  const expiresAt = typeof expiry === 'string' ? DateTime.fromISO(expiry.trim(), { zone: 'utc', setZone: false }) : null;
  if (expiresAt === null || !expiresAt.isValid) {
    throw new InputError(`${label}: the decrypted token has no readable access_token_expiry${typeof expiry === 'string' ? ` (${quoted(expiry, 40)})` : ''} (expected an RFC 3339 date)`);
  }
  return expiresAt.toUTC();
}

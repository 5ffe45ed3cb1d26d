// Parses an MDM push certificate (PEM or DER X.509, as the Apple Push Certificates Portal gives it): its expiry is the
// certificate's notAfter, its topic the subject's UID attribute (OID 0.9.2342.19200300.100.1.1), which must start with
// com.apple.mgmt. Pure. A private key in the same file is skipped: only CERTIFICATE blocks are read, and nothing of
// the file is kept but the expiry, the topic and a SHA-256 of the certificate.
import { X509Certificate, createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { InputError, quoted } from '../../errors';
import { MDM_PUSH_TOPIC_PREFIX } from './apns';

export interface ParsedApnsCertificate {
  readonly topic: string;
  readonly expiresAt: DateTime;
  /** notBefore: when Apple issued (or renewed) it. */
  readonly issuedAt: DateTime;
  /** SHA-256 (hex) of the certificate's DER bytes (not of the file, so a key beside it changes nothing). */
  readonly fingerprint: string;
}

const EXPECTED = 'expected an MDM push certificate (.pem, .cer or .crt) from the Apple Push Certificates Portal';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** True when `bytes` hold a PEM certificate block or a DER X.509 certificate. */
export function looksLikeCertificate(bytes: Uint8Array): boolean {
  if (Buffer.from(bytes).toString('latin1').includes('-----BEGIN CERTIFICATE-----')) return true;
  return derCertificate(bytes) !== null;
}

function derCertificate(bytes: Uint8Array): X509Certificate | null {
  // A DER certificate is an ASN.1 SEQUENCE (0x30); anything else is not worth handing to OpenSSL.
  if (bytes.length < 16 || bytes[0] !== 0x30) return null;
  try {
    return new X509Certificate(Buffer.from(bytes));
  } catch {
    return null;
  }
}

/** The certificates in the file: every PEM CERTIFICATE block, or the one DER certificate. Keys and other blocks are skipped. */
function certificatesOf(label: string, bytes: Uint8Array): X509Certificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  const blocks = [...text.matchAll(PEM_CERTIFICATE)];
  if (blocks.length === 0) {
    const der = derCertificate(bytes);
    if (der === null) throw new InputError(`${label}: no certificate found (${EXPECTED})`);
    return [der];
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64'));
    } catch {
      throw new InputError(`${label}: certificate ${index + 1} is not a valid X.509 certificate (${EXPECTED})`);
    }
  });
}

/** The subject's UID values (OpenSSL's short name for 0.9.2342.19200300.100.1.1). */
function subjectUids(certificate: X509Certificate): string[] {
  // node:tls first: on Node 20, toLegacyObject() in a process that has not loaded tls yet loads it half-way (tls and
  // its helper module require each other), leaving tls.createSecureContext undefined for good, so that every TLS
  // connection after it (SMTP with STARTTLS, Slack, Teams, webhooks, the sources) throws "tls.createSecureContext is not
  // a function". A daemon whose token folder holds a push certificate read it before its first send.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('node:tls');
  const subject = certificate.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  const uid = subject['UID'];
  return uid === undefined ? [] : Array.isArray(uid) ? uid : [uid];
}

/** OpenSSL's `Jan  1 00:00:00 2027 GMT`. */
function openSslTime(value: string): DateTime {
  return DateTime.fromFormat(value.replace(/\s+GMT$/, '').replace(/\s+/g, ' '), 'LLL d HH:mm:ss yyyy', { zone: 'utc', locale: 'en-US' });
}

export function isMdmPushTopic(topic: string): boolean {
  return topic.startsWith(MDM_PUSH_TOPIC_PREFIX) && topic.length > MDM_PUSH_TOPIC_PREFIX.length && !/\s/.test(topic);
}

/** Parses the certificate file's bytes; `label` (usually its path) names it in the one-line error. */
export function parseApnsCertificate(label: string, bytes: Uint8Array): ParsedApnsCertificate {
  const certificates = certificatesOf(label, bytes);
  const push = certificates.find((certificate) => subjectUids(certificate).some(isMdmPushTopic));
  if (push === undefined) {
    const first = certificates[0];
    const uids = first === undefined ? [] : subjectUids(first);
    const found =
      uids.length > 0
        ? `subject UID ${quoted(uids[0] ?? '', 120)}`
        : `no subject UID (subject ${quoted((first?.subject ?? '').replace(/\n/g, ', '), 120)})`;
    throw new InputError(`${label}: not an MDM push certificate: ${found} (expected a topic starting ${MDM_PUSH_TOPIC_PREFIX})`);
  }
  const topic = subjectUids(push).find(isMdmPushTopic) ?? '';
  const expiresAt = openSslTime(push.validTo);
  const issuedAt = openSslTime(push.validFrom);
  if (!expiresAt.isValid || !issuedAt.isValid) {
    throw new InputError(`${label}: the certificate's validity ${quoted(`${push.validFrom} - ${push.validTo}`)} cannot be read (${EXPECTED})`);
  }
  return { topic, expiresAt, issuedAt, fingerprint: createHash('sha256').update(push.raw).digest('hex') };
}

// Builds real Apple credential files for tests: an MDM push certificate (X.509, PEM or DER, optionally with its private
// key in the same file, as some MDM exports have it) and an ADE server token (an S/MIME EnvelopedData message encrypted
// to the MDM server's certificate, as Apple Business Manager sends it: RFC 5751 headers, base64 body; the decrypted
// content is a MIME part holding the JSON between -----BEGIN MESSAGE----- and -----END MESSAGE----- lines, with
// consumer_key, consumer_secret, access_token, access_secret and access_token_expiry, as described in Apple's
// "Authenticating with a Device Enrollment Program (DEP) Server").
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export const UID_OID = '0.9.2342.19200300.100.1.1';

export interface KeyPair {
  readonly keyPem: string;
  readonly certPem: string;
  readonly certificate: forge.pki.Certificate;
}

/** An RSA key (generated natively: fast) and a self-signed certificate for it with the given subject. */
function keyPair(subject: forge.pki.CertificateField[], notBefore: Date, notAfter: Date): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  certificate.serialNumber = '0a1b2c3d';
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  certificate.setSubject(subject);
  certificate.setIssuer([{ name: 'commonName', value: 'Apple Application Integration 2 Certification Authority (test)' }]);
  certificate.sign(key, forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(certificate), certificate };
}

export interface PushCertificateOptions {
  readonly topic: string;
  readonly notBefore?: string;
  readonly notAfter: string;
}

/** An MDM push certificate as the portal issues it: subject C, CN=APSP:…, UID=topic. */
export function makePushCertificate(options: PushCertificateOptions): KeyPair {
  return keyPair(
    [
      { name: 'countryName', value: 'US' },
      { name: 'commonName', value: `APSP:${options.topic.split('.').pop() ?? 'x'}` },
      { type: UID_OID, value: options.topic },
    ],
    new Date(options.notBefore ?? '2026-06-30T12:00:00Z'),
    new Date(options.notAfter),
  );
}

/** The certificate's DER bytes (a .cer file). */
export function derOf(pair: KeyPair): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(pair.certificate)).getBytes(), 'binary');
}

/** An MDM server's key pair, whose certificate is uploaded to Apple Business Manager. */
export function makeMdmServerKey(): KeyPair {
  return keyPair([{ name: 'commonName', value: 'Acme MDM server (test)' }], new Date('2026-01-01T00:00:00Z'), new Date('2036-01-01T00:00:00Z'));
}

/** The secrets an ADE token holds; tests check none of them is ever stored. */
export const ADE_SECRETS = {
  consumer_key: 'CK_3f1c2a9e54b74d2e9d0a8f6b2c1e7a55',
  consumer_secret: 'CS_0f9e8d7c6b5a49382716a5b4c3d2e1f0',
  access_token: 'AT_a1b2c3d4e5f60718293a4b5c6d7e8f90',
  access_secret: 'AS_99887766554433221100ffeeddccbbaa',
} as const;

/** An ADE server token file's text: S/MIME, encrypted to `server`'s certificate. */
export function makeAdeToken(server: KeyPair, accessTokenExpiry: string): string {
  const json = JSON.stringify({ ...ADE_SECRETS, access_token_expiry: accessTokenExpiry });
  const inner = `Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\r\n${json}\r\n-----END MESSAGE-----\r\n`;
  const envelope = forge.pkcs7.createEnvelopedData();
  envelope.addRecipient(server.certificate);
  envelope.content = forge.util.createBuffer(inner);
  envelope.encrypt();
  const body = Buffer.from(forge.asn1.toDer(envelope.toAsn1()).getBytes(), 'binary').toString('base64');
  const lines = body.match(/.{1,76}/g) ?? [];
  return [
    'Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7m"',
    'Content-Description: S/MIME Encrypted Message',
    '',
    ...lines,
    '',
  ].join('\r\n');
}

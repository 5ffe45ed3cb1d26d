// Who may read the status page and /metrics: an optional bearer token (RFC 6750 §2.1) and/or HTTP Basic credentials
// (RFC 7617) checked against a scrypt password hash. Secrets are compared in constant time and never logged.
//   https://www.rfc-editor.org/rfc/rfc6750#section-2.1  `Authorization: Bearer <b64token>`; 401 + WWW-Authenticate
//   https://www.rfc-editor.org/rfc/rfc7617#section-2    `Authorization: Basic base64(user ":" password)`, UTF-8
//   https://www.rfc-editor.org/rfc/rfc9110#section-11.1 auth schemes are case-insensitive
import crypto from 'node:crypto';
import type { PasswordHash } from '../config/password-hash-format';
import { verifyPassword } from './password-hash';

export interface BasicCredentials {
  readonly user: string;
  readonly passwordHash: PasswordHash;
}

/** The authentication the HTTP edge asks for; both null means none (allowed on loopback, or when made public). */
export interface HttpAuth {
  /** Secret: from TOKENWATCH_HTTP_TOKEN or its _FILE. */
  readonly bearerToken: string | null;
  readonly basic: BasicCredentials | null;
}

export const NO_AUTH: HttpAuth = { bearerToken: null, basic: null };

export function hasAuth(auth: HttpAuth): boolean {
  return auth.bearerToken !== null || auth.basic !== null;
}

/** Why a request was turned away (logged; never the credential itself). */
export type AuthFailure = 'missing' | 'wrong-scheme' | 'malformed' | 'wrong-token' | 'wrong-credentials';
export type AuthResult = { readonly isAllowed: true; readonly via: 'none' | 'bearer' | 'basic' } | { readonly isAllowed: false; readonly reason: AuthFailure };

const sha256 = (text: string): Buffer => crypto.createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether two secrets are equal, in time that depends on neither value nor on where they differ: both are hashed to
 * 32-byte SHA-256 digests (so different lengths compare like any other mismatch) and the digests are compared with
 * crypto.timingSafeEqual.
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  return crypto.timingSafeEqual(sha256(presented), sha256(expected));
}

/** Splits `Scheme credentials`; the scheme lower-cased. Null when the header is absent or empty. */
function parseAuthorization(header: string | undefined): { scheme: string; credentials: string } | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s+(.*?))?\s*$/.exec(header);
  if (match === null) return { scheme: '', credentials: '' };
  return { scheme: (match[1] ?? '').toLowerCase(), credentials: match[2] ?? '' };
}

/** The `WWW-Authenticate` challenges of a 401: one per configured scheme. */
export function challenges(auth: HttpAuth, failure: AuthFailure): string[] {
  const result: string[] = [];
  if (auth.bearerToken !== null) {
    result.push(failure === 'wrong-token' || failure === 'malformed' ? 'Bearer realm="tokenwatch", error="invalid_token"' : 'Bearer realm="tokenwatch"');
  }
  if (auth.basic !== null) result.push('Basic realm="tokenwatch", charset="UTF-8"');
  return result;
}

/**
 * Checks requests against `auth`. Basic passwords cost one scrypt run (about 0.1 s, off the event loop); once a
 * header has passed, its SHA-256 digest is remembered in memory so that the same browser's next requests cost one
 * hash, and concurrent checks of one header share one scrypt run.
 */
export class Authenticator {
  private readonly accepted = new Map<string, true>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    readonly auth: HttpAuth,
    private readonly rememberLimit = 64,
  ) {}

  get isRequired(): boolean {
    return hasAuth(this.auth);
  }

  async check(header: string | undefined): Promise<AuthResult> {
    if (!this.isRequired) return { isAllowed: true, via: 'none' };
    const parsed = parseAuthorization(header);
    if (parsed === null) return { isAllowed: false, reason: 'missing' };
    const { bearerToken, basic } = this.auth;
    if (parsed.scheme === 'bearer' && bearerToken !== null) {
      if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(parsed.credentials)) return { isAllowed: false, reason: 'malformed' };
      return constantTimeEqual(parsed.credentials, bearerToken) ? { isAllowed: true, via: 'bearer' } : { isAllowed: false, reason: 'wrong-token' };
    }
    if (parsed.scheme === 'basic' && basic !== null) {
      const decoded = decodeBasic(parsed.credentials);
      if (decoded === null) return { isAllowed: false, reason: 'malformed' };
      return (await this.checkBasic(parsed.credentials, decoded, basic))
        ? { isAllowed: true, via: 'basic' }
        : { isAllowed: false, reason: 'wrong-credentials' };
    }
    return { isAllowed: false, reason: 'wrong-scheme' };
  }

  private async checkBasic(encoded: string, decoded: { user: string; password: string }, basic: BasicCredentials): Promise<boolean> {
    const digest = sha256(encoded).toString('base64');
    if (this.accepted.has(digest)) return true;
    let verification = this.pending.get(digest);
    if (verification === undefined) {
      // The user name is compared in constant time too, and scrypt runs whatever it is, so a wrong name and a wrong
      // password take the same time.
      const isUser = constantTimeEqual(decoded.user, basic.user);
      verification = verifyPassword(decoded.password, basic.passwordHash).then((isPassword) => isUser && isPassword);
      this.pending.set(digest, verification);
    }
    try {
      const isValid = await verification;
      if (isValid) {
        if (this.accepted.size >= this.rememberLimit) this.accepted.clear();
        this.accepted.set(digest, true);
      }
      return isValid;
    } finally {
      this.pending.delete(digest);
    }
  }
}

/** `base64(user:password)` → its parts; null when not base64 of UTF-8 text with a colon. */
function decodeBasic(credentials: string): { user: string; password: string } | null {
  if (!/^[A-Za-z0-9+/]+=*$/.test(credentials)) return null;
  const text = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0 || text.includes('\uFFFD')) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

// An OAuth 2.0 client-credentials bearer token (RFC 6749 §4.4), fetched when needed and renewed before it expires.
// Used by the Intune source (Microsoft identity platform) and the Jamf Pro source (/api/oauth/token).
// The client secret and the access token live in memory only and never reach a log or an error message.
import type { Clock } from '../clock';
import { requestJson, SourceHttpError, type HttpJsonOptions } from './http-json';

export interface ClientCredentials {
  /** The token endpoint, e.g. https://login.microsoftonline.com/TENANT/oauth2/v2.0/token or https://jamf/api/oauth/token. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `scope` for the request (Microsoft: https://graph.microsoft.com/.default); none for Jamf Pro. */
  readonly scope?: string;
}

/** A token is renewed when less than this is left of its life, so no request starts with one about to lapse. */
const RENEW_BEFORE_MS = 60_000;

export interface BearerTokens {
  /** A valid access token, renewed when it is about to expire. */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets the current token (the server refused it before its time): the next `get` asks for a new one. */
  invalidate(): void;
}

/** What an OAuth error body says: `error: error_description` (RFC 6749 §5.2), first line only. */
export function describeOAuthError(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error !== 'string') return null;
  const detail = typeof description === 'string' ? description.split(/\r?\n/)[0]?.trim() : undefined;
  return detail === undefined || detail === '' ? error : `${error}: ${detail}`;
}

export function clientCredentialsTokens(
  credentials: ClientCredentials,
  clock: Clock,
  http: Pick<HttpJsonOptions, 'timeoutMs'>,
): BearerTokens {
  let current: { token: string; expiresAtMs: number } | null = null;
  return {
    async get(signal) {
      const nowMs = clock.now().toMillis();
      if (current !== null && current.expiresAtMs - RENEW_BEFORE_MS > nowMs) return current.token;
      const form: Record<string, string> = {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      };
      if (credentials.scope !== undefined) form.scope = credentials.scope;
      const body = await requestJson(
        { method: 'POST', url: credentials.tokenUrl, form },
        { timeoutMs: http.timeoutMs, describeError: describeOAuthError, ...(signal === undefined ? {} : { signal }) },
      );
      const { access_token: token, expires_in: expiresIn } = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
      if (typeof token !== 'string' || token === '') throw new Error('the token endpoint answered without an access_token');
      const seconds = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' ? Number(expiresIn) : 300;
      current = { token, expiresAtMs: nowMs + (Number.isFinite(seconds) ? seconds : 300) * 1000 };
      return token;
    },
    invalidate() {
      current = null;
    },
  };
}

/**
 * GETs `url` with the current bearer token; a 401 (the server dropped the token before its time) asks for a new
 * token and tries once more.
 */
export async function getWithBearer(
  tokens: BearerTokens,
  url: string,
  options: HttpJsonOptions,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const bearer = await tokens.get(options.signal);
    try {
      return await requestJson({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } }, options);
    } catch (thrown) {
      if (attempt > 0 || !(thrown instanceof SourceHttpError && thrown.status === 401)) throw thrown;
      tokens.invalidate();
    }
  }
}

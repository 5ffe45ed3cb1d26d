// A local server that answers like the Jamf Pro API, for the Jamf Pro source's tests. It follows:
// - POST /api/oauth/token with client_credentials (https://developer.jamf.com/jamf-pro/docs/client-credentials):
//   { access_token, scope, token_type: "Bearer", expires_in }; 401 for a wrong client
// - GET /api/v1/volume-purchasing-locations and /api/v1/device-enrollments with page, page-size and sort, answering
//   { totalCount, results } (https://developer.jamf.com/jamf-pro/reference/get_v1-volume-purchasing-locations,
//   …/get_v1-device-enrollments)
// - GET /api/v1/notifications: [{ type, id, params }] (https://developer.jamf.com/jamf-pro/reference/get_v1-notifications)
// - errors as { httpStatus, errors: [{ code, description, id, field }] }; an expired bearer token gets 401.
import { formOf, startJsonHttpServer, type JsonAnswer, type JsonHttpServer } from './json-http-server';

export interface FakeJamfOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly volumePurchasingLocations?: Record<string, unknown>[];
  readonly deviceEnrollments?: Record<string, unknown>[];
  readonly notifications?: Record<string, unknown>[];
  /** Lifetime of an access token, in seconds (Jamf Pro's default is short). */
  readonly expiresIn?: number;
  /** The largest page-size the server accepts. */
  readonly maxPageSize?: number;
}

export interface FakeJamfServer extends JsonHttpServer {
  readonly issuedTokens: readonly string[];
  /** Makes every token issued so far invalid (as when it expired on the server). */
  expireTokens(): void;
}

function jamfError(status: number, code: string, description: string): JsonAnswer {
  return { status, body: { httpStatus: status, errors: [{ code, description, id: '0', field: null }] } };
}

export async function startFakeJamf(options: FakeJamfOptions): Promise<FakeJamfServer> {
  const issuedTokens: string[] = [];
  const valid = new Set<string>();
  const lists: Record<string, Record<string, unknown>[]> = {
    '/api/v1/volume-purchasing-locations': options.volumePurchasingLocations ?? [],
    '/api/v1/device-enrollments': options.deviceEnrollments ?? [],
  };
  const server = await startJsonHttpServer((request, url) => {
    if (url.pathname === '/api/oauth/token') {
      const form = formOf(request);
      if (request.method !== 'POST' || form.grant_type !== 'client_credentials') return jamfError(400, 'INVALID_GRANT', 'unsupported grant type');
      if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) return { status: 401, body: { error: 'invalid_client' } };
      const token = `jamf-access-${issuedTokens.length + 1}`;
      issuedTokens.push(token);
      valid.add(token);
      return { status: 200, body: { access_token: token, scope: 'api-role:1', token_type: 'Bearer', expires_in: options.expiresIn ?? 299 } };
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !valid.has(bearer)) return jamfError(401, 'INVALID_TOKEN', 'Unauthorized');
    if (request.method !== 'GET') return jamfError(405, 'METHOD_NOT_ALLOWED', 'tokenwatch must only read');
    if (url.pathname === '/api/v1/notifications') return { status: 200, body: options.notifications ?? [] };
    const list = lists[url.pathname];
    if (list === undefined) return null;
    const page = Number(url.searchParams.get('page') ?? '0');
    const size = Number(url.searchParams.get('page-size') ?? '100');
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1 || size > (options.maxPageSize ?? 2000)) {
      return jamfError(400, 'INVALID_FIELD', 'page-size must be between 1 and 2000');
    }
    return { status: 200, body: { totalCount: list.length, results: list.slice(page * size, (page + 1) * size) } };
  });
  return Object.assign(server, {
    issuedTokens,
    expireTokens: () => valid.clear(),
  });
}

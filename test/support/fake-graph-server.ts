// A local server that answers like Microsoft Graph and the Microsoft identity platform for Intune's Apple
// credentials, for the Intune source's tests. It follows:
// - the client-credentials token request and its error body (invalid_client, AADSTS codes):
//   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
// - GET /beta/deviceAppManagement/vppTokens, GET /v1.0/deviceManagement/applePushNotificationCertificate,
//   GET /beta/deviceManagement/depOnboardingSettings (learn.microsoft.com/graph/api/intune-…)
// - $select (an unknown property is a 400 BadRequest), paging with @odata.nextLink and $skiptoken
//   (https://learn.microsoft.com/graph/paging), the error body { error: { code, message, innerError } }
//   (https://learn.microsoft.com/graph/errors) and throttling with 429 + Retry-After
//   (https://learn.microsoft.com/graph/throttling), all scriptable.
import { formOf, startJsonHttpServer, type JsonAnswer, type JsonHttpServer } from './json-http-server';

export interface FakeGraphOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly vppTokens?: Record<string, unknown>[];
  /** null: the tenant has no push certificate (404). */
  readonly apnsCertificate?: Record<string, unknown> | null;
  readonly depOnboardingSettings?: Record<string, unknown>[];
  /** Items per page of a collection. */
  readonly pageSize?: number;
  /** Lifetime of an access token, in seconds. */
  readonly expiresIn?: number;
}

export interface FakeGraphServer extends JsonHttpServer {
  /** Base for TOKENWATCH_GRAPH_URL and TOKENWATCH_AZURE_LOGIN_URL. */
  readonly graphUrl: string;
  readonly loginUrl: string;
  /** Access tokens handed out so far. */
  readonly issuedTokens: readonly string[];
}

const SELECTABLE: Readonly<Record<string, readonly string[]>> = {
  '/beta/deviceAppManagement/vppTokens': [
    'id', 'organizationName', 'vppTokenAccountType', 'appleId', 'expirationDateTime', 'lastSyncDateTime', 'token',
    'lastModifiedDateTime', 'state', 'tokenActionResults', 'lastSyncStatus', 'automaticallyUpdateApps', 'countryOrRegion',
    'dataSharingConsentGranted', 'displayName', 'locationName', 'claimTokenManagementFromExternalMdm', 'roleScopeTagIds',
  ],
  '/v1.0/deviceManagement/applePushNotificationCertificate': [
    'id', 'appleIdentifier', 'topicIdentifier', 'lastModifiedDateTime', 'expirationDateTime', 'certificateUploadStatus',
    'certificateUploadFailureReason', 'certificateSerialNumber', 'certificate',
  ],
  '/beta/deviceManagement/depOnboardingSettings': [
    'id', 'appleIdentifier', 'tokenExpirationDateTime', 'lastModifiedDateTime', 'lastSuccessfulSyncDateTime',
    'lastSyncTriggeredDateTime', 'shareTokenWithSchoolDataSyncService', 'lastSyncErrorCode', 'tokenType', 'tokenName',
    'syncedDeviceCount', 'dataSharingConsentGranted', 'roleScopeTagIds',
  ],
};

function graphError(status: number, code: string, message: string): JsonAnswer {
  return { status, body: { error: { code, message, innerError: { 'request-id': '3f6a…', date: '2026-11-30T09:00:00' } } } };
}

function selected(item: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (select === null) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => key === 'id' || select.includes(key)));
}

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraphServer> {
  const issuedTokens: string[] = [];
  const pageSize = options.pageSize ?? 2;
  const collections: Record<string, Record<string, unknown>[]> = {
    '/beta/deviceAppManagement/vppTokens': options.vppTokens ?? [],
    '/beta/deviceManagement/depOnboardingSettings': options.depOnboardingSettings ?? [],
  };
  let base = '';
  const server = await startJsonHttpServer((request, url) => {
    if (url.pathname === `/login/${options.tenantId}/oauth2/v2.0/token`) {
      const form = formOf(request);
      if (request.method !== 'POST' || form.grant_type !== 'client_credentials') {
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003: The app requested an unsupported grant type.' } };
      }
      if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 0a1b' } };
      }
      if (form.scope !== `${base}graph/.default`) return { status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS1002012: The provided value for scope is not valid.' } };
      const token = `graph-access-${issuedTokens.length + 1}`;
      issuedTokens.push(token);
      return { status: 200, body: { token_type: 'Bearer', expires_in: options.expiresIn ?? 3599, ext_expires_in: 3599, access_token: token } };
    }
    if (!url.pathname.startsWith('/graph/')) return null;
    const path = url.pathname.slice('/graph'.length);
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !issuedTokens.includes(bearer)) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (request.method !== 'GET') return graphError(405, 'BadRequest', 'tokenwatch must only read');
    const selectable = SELECTABLE[path];
    if (selectable === undefined) return graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`);
    const select = url.searchParams.get('$select')?.split(',') ?? null;
    const unknown = select?.find((field) => !selectable.includes(field));
    if (unknown !== undefined) return graphError(400, 'BadRequest', `Could not find a property named '${unknown}' on type 'microsoft.graph.x'.`);
    const items = collections[path];
    if (items === undefined) {
      if (options.apnsCertificate === null || options.apnsCertificate === undefined) return graphError(404, 'ResourceNotFound', 'Resource not found');
      return { status: 200, body: { '@odata.context': `${base}graph/v1.0/$metadata#deviceManagement/applePushNotificationCertificate`, ...selected(options.apnsCertificate, select) } };
    }
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const page = items.slice(skip, skip + pageSize).map((item) => selected(item, select));
    const next = new URL(url.pathname + url.search, base);
    next.searchParams.set('$skiptoken', String(skip + pageSize));
    return { status: 200, body: { value: page, ...(skip + pageSize < items.length ? { '@odata.nextLink': next.href } : {}) } };
  });
  base = server.url;
  return Object.assign(server, { graphUrl: `${server.url}graph/`, loginUrl: `${server.url}login/`, issuedTokens });
}

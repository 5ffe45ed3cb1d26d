// Microsoft Intune through Microsoft Graph: the tenant's VPP tokens, its APNs MDM push certificate and its ADE
// (DEP) tokens, read-only. Documentation followed (read 2026-11-30):
// - https://learn.microsoft.com/graph/api/intune-onboarding-vpptoken-list (GET /deviceAppManagement/vppTokens;
//   beta carries displayName, locationName and the state duplicateLocationId, which v1.0 lacks)
// - https://learn.microsoft.com/graph/api/intune-devices-applepushnotificationcertificate-get (v1.0)
// - https://learn.microsoft.com/graph/api/intune-enrollment-deponboardingsetting-list?view=graph-rest-beta (beta only)
// - https://learn.microsoft.com/graph/paging (@odata.nextLink), https://learn.microsoft.com/graph/throttling
//   (429 + Retry-After), https://learn.microsoft.com/graph/errors ({ error: { code, message } })
// - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow (the token request)
// Every request names the fields it wants ($select), so the VPP token string and the certificate body that Graph
// could return are never fetched. Least privilege: the application permission DeviceManagementServiceConfig.Read.All.
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { clientCredentialsTokens, getWithBearer } from './client-credentials';
import { SourceHttpError } from './http-json';
import type { Source, SourceReading, SourcedCredential, SourcedState, SourceWarning } from './source';

export interface IntuneTenant {
  /** The source's name: `intune` for one tenant, `intune:<label>` for several. */
  readonly name: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Secret: from the environment or a secret file only. */
  readonly clientSecret: string;
  /** Microsoft Graph base, `https://graph.microsoft.com/` (national clouds have their own). */
  readonly graphUrl: string;
  /** Microsoft identity platform base, `https://login.microsoftonline.com/`. */
  readonly loginUrl: string;
}

export interface IntuneSourceOptions {
  readonly clock: Clock;
  /** The longest one request may take, quick retries included. */
  readonly timeoutMs: number;
}

const VPP_FIELDS = 'id,organizationName,displayName,locationName,appleId,expirationDateTime,state,lastSyncStatus,countryOrRegion';
const APNS_FIELDS = 'id,appleIdentifier,topicIdentifier,expirationDateTime';
const DEP_FIELDS = 'id,tokenName,appleIdentifier,tokenExpirationDateTime';
/** A bound on pages followed per collection: a server that keeps sending nextLink cannot keep a sync running. */
const MAX_PAGES = 1000;

/** Graph's error body `{ error: { code, message } }` as `code: message`. */
export function describeGraphError(body: unknown): string | null {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const parts = [code, message].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return parts.length === 0 ? null : parts.join(': ').split(/\r?\n/)[0] ?? null;
}

const VPP_STATES: Readonly<Record<string, SourcedState>> = {
  valid: 'valid',
  expired: 'expired',
  invalid: 'invalid',
  assignedToExternalMDM: 'assignedToExternalMDM',
  duplicateLocationId: 'duplicateLocationId',
};

type GraphObject = Readonly<Record<string, unknown>>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function instant(value: unknown): DateTime | null {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = DateTime.fromISO(raw, { zone: 'utc' });
  // Graph says "0001-01-01T00:00:00Z" for a date it does not have.
  return parsed.isValid && parsed.year > 1970 ? parsed : null;
}

function vppCredential(item: GraphObject): SourcedCredential | SourceWarning {
  const id = text(item.id);
  if (id === null) return { sourceId: '?', message: 'a VPP token without an id was skipped' };
  const organization = text(item.organizationName);
  const location = text(item.locationName);
  const name = text(item.displayName) ?? [organization, location].filter((part) => part !== null).join(' / ');
  const country = text(item.countryOrRegion);
  return {
    sourceId: `vpp:${id}`,
    kind: 'vpp',
    name: name === '' ? `Intune VPP token ${id}` : name,
    expiresAt: instant(item.expirationDateTime),
    state: VPP_STATES[text(item.state) ?? ''] ?? 'unknown',
    appleId: text(item.appleId),
    mdm: 'intune',
    facts: {
      ...(organization === null ? {} : { orgName: organization }),
      ...(location === null ? {} : { locationName: location }),
      ...(country === null ? {} : { countryCode: country.toUpperCase() }),
    },
  };
}

function apnsCredential(item: GraphObject, now: DateTime): SourcedCredential | null {
  const expiresAt = instant(item.expirationDateTime);
  const topic = text(item.topicIdentifier);
  // A tenant that never uploaded a certificate answers with empty fields: nothing to watch.
  if (expiresAt === null && topic === null) return null;
  return {
    sourceId: 'apns',
    kind: 'apns',
    name: topic ?? 'Intune MDM push certificate',
    expiresAt,
    state: expiresAt !== null && expiresAt <= now ? 'expired' : 'valid',
    appleId: text(item.appleIdentifier),
    mdm: 'intune',
    facts: topic === null ? {} : { topic },
  };
}

function adeCredential(item: GraphObject, now: DateTime): SourcedCredential | SourceWarning {
  const id = text(item.id);
  if (id === null) return { sourceId: '?', message: 'an ADE token without an id was skipped' };
  const expiresAt = instant(item.tokenExpirationDateTime);
  const serverName = text(item.tokenName);
  return {
    sourceId: `ade:${id}`,
    kind: 'ade',
    name: serverName ?? `Intune ADE token ${id}`,
    expiresAt,
    state: expiresAt !== null && expiresAt <= now ? 'expired' : 'valid',
    appleId: text(item.appleIdentifier),
    mdm: 'intune',
    facts: serverName === null ? {} : { serverName },
  };
}

function isWarning(entry: SourcedCredential | SourceWarning): entry is SourceWarning {
  return 'message' in entry;
}

export function createIntuneSource(tenant: IntuneTenant, options: IntuneSourceOptions): Source {
  const tokens = clientCredentialsTokens(
    {
      tokenUrl: new URL(`${encodeURIComponent(tenant.tenantId)}/oauth2/v2.0/token`, tenant.loginUrl).href,
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      scope: new URL('.default', tenant.graphUrl).href,
    },
    options.clock,
    { timeoutMs: options.timeoutMs },
  );

  async function get(url: string, signal: AbortSignal | undefined): Promise<GraphObject> {
    const body = await getWithBearer(tokens, url, {
      timeoutMs: options.timeoutMs,
      describeError: describeGraphError,
      ...(signal === undefined ? {} : { signal }),
    });
    if (typeof body !== 'object' || body === null) throw new Error(`Graph answered ${new URL(url).pathname} without a JSON object`);
    return body as GraphObject;
  }

  /** Every item of a collection, following @odata.nextLink on the same Graph host only. */
  async function collection(path: string, signal: AbortSignal | undefined): Promise<GraphObject[]> {
    const items: GraphObject[] = [];
    const origin = new URL(tenant.graphUrl).origin;
    let url: string | null = new URL(path, tenant.graphUrl).href;
    for (let page = 0; url !== null; page++) {
      if (page >= MAX_PAGES) throw new Error(`Graph ${path}: more than ${MAX_PAGES} pages`);
      const body: GraphObject = await get(url, signal);
      const value = body.value;
      if (!Array.isArray(value)) throw new Error(`Graph ${path}: the answer has no "value" list`);
      items.push(...value.filter((item): item is GraphObject => typeof item === 'object' && item !== null));
      const next = text(body['@odata.nextLink']);
      if (next !== null && new URL(next).origin !== origin) throw new Error(`Graph ${path}: nextLink points to another host`);
      url = next;
    }
    return items;
  }

  return {
    name: tenant.name,
    async read(signal) {
      const now = options.clock.now();
      const entries: (SourcedCredential | SourceWarning)[] = [];
      for (const item of await collection(`beta/deviceAppManagement/vppTokens?$select=${VPP_FIELDS}`, signal)) entries.push(vppCredential(item));
      let apns: GraphObject | null = null;
      try {
        apns = await get(new URL(`v1.0/deviceManagement/applePushNotificationCertificate?$select=${APNS_FIELDS}`, tenant.graphUrl).href, signal);
      } catch (thrown) {
        // A tenant with no push certificate answers 404: nothing to watch, not a failure of the source.
        if (!(thrown instanceof SourceHttpError && thrown.status === 404)) throw thrown;
      }
      const certificate = apns === null ? null : apnsCredential(apns, now);
      if (certificate !== null) entries.push(certificate);
      for (const item of await collection(`beta/deviceManagement/depOnboardingSettings?$select=${DEP_FIELDS}`, signal)) entries.push(adeCredential(item, now));
      const reading: { credentials: SourcedCredential[]; warnings: SourceWarning[] } = { credentials: [], warnings: [] };
      for (const entry of entries) {
        if (isWarning(entry)) reading.warnings.push(entry);
        else reading.credentials.push(entry);
      }
      return reading satisfies SourceReading;
    },
    async check(signal) {
      const reading = await this.read(signal);
      return `tenant ${tenant.tenantId}: ${reading.credentials.length} credential(s) readable`;
    },
  };
}

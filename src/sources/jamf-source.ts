// Jamf Pro through its API: volume purchasing locations (VPP content tokens), Automated Device Enrollment instances
// (ADE server tokens) and the push certificate's state, read-only. Documentation followed (read 2026-11-30):
// - https://developer.jamf.com/jamf-pro/docs/client-credentials (POST /api/oauth/token, client_credentials,
//   answer { access_token, token_type, expires_in }); available from Jamf Pro 10.49
// - https://developer.jamf.com/jamf-pro/reference/get_v1-volume-purchasing-locations (page, page-size,
//   { totalCount, results: [{ id, name, appleId, organizationName, tokenExpiration, countryCode, locationName }] })
// - https://developer.jamf.com/jamf-pro/reference/get_v1-device-enrollments
//   ({ totalCount, results: [{ id, name, serverName, orgName, tokenExpirationDate }] })
// - https://developer.jamf.com/jamf-pro/reference/get_v1-notifications: the API gives no push certificate expiry
//   as such; Jamf Pro's own notifications PUSH_CERT_WILL_EXPIRE (params.days), PUSH_CERT_EXPIRED and
//   APNS_CERT_REVOKED say it. So the push certificate is reported only while Jamf Pro warns about it; register its
//   .pem with `tokenwatch import` to watch it all year.
// - Errors: { httpStatus, errors: [{ code, description }] }.
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { clientCredentialsTokens, getWithBearer } from './client-credentials';
import type { Source, SourcedCredential, SourcedState, SourceWarning } from './source';

export interface JamfServer {
  /** The source's name: `jamf` for one server, `jamf:<label>` for several. */
  readonly name: string;
  /** The Jamf Pro URL, e.g. https://acme.jamfcloud.com/ */
  readonly url: string;
  readonly clientId: string;
  /** Secret: from the environment or a secret file only. */
  readonly clientSecret: string;
}

export interface JamfSourceOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Results per page; Jamf Pro's default is 100. */
  readonly pageSize?: number;
}

const MAX_PAGES = 1000;

type JamfObject = Readonly<Record<string, unknown>>;

/** Jamf Pro's error body `{ errors: [{ code, description }] }` as `code: description`. */
export function describeJamfError(body: unknown): string | null {
  const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  const first = errors[0] as { code?: unknown; description?: unknown };
  const parts = [first.code, first.description].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return parts.length === 0 ? null : parts.join(': ');
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** `2027-03-01T10:00:00Z`, `2027-03-01T10:00:00.000+0000` or a bare `2027-03-01` (midnight UTC). */
function instant(value: unknown): DateTime | null {
  const raw = text(value);
  if (raw === null) return null;
  const iso = DateTime.fromISO(raw, { zone: 'utc' });
  if (iso.isValid) return iso;
  const offset = DateTime.fromFormat(raw, "yyyy-MM-dd'T'HH:mm:ss.SSSZZZ", { zone: 'utc' });
  return offset.isValid ? offset : null;
}

function stateAt(expiresAt: DateTime | null, now: DateTime): SourcedState {
  return expiresAt !== null && expiresAt <= now ? 'expired' : 'valid';
}

export function createJamfSource(server: JamfServer, options: JamfSourceOptions): Source {
  const base = server.url.endsWith('/') ? server.url : `${server.url}/`;
  const pageSize = options.pageSize ?? 100;
  const tokens = clientCredentialsTokens(
    { tokenUrl: new URL('api/oauth/token', base).href, clientId: server.clientId, clientSecret: server.clientSecret },
    options.clock,
    { timeoutMs: options.timeoutMs },
  );

  async function get(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    return getWithBearer(tokens, new URL(path, base).href, {
      timeoutMs: options.timeoutMs,
      describeError: describeJamfError,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** Every result of a paged list: pages from 0 until totalCount results arrived (or a page comes back empty). */
  async function paged(path: string, signal: AbortSignal | undefined): Promise<JamfObject[]> {
    const results: JamfObject[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = (await get(`${path}?page=${page}&page-size=${pageSize}&sort=id%3Aasc`, signal)) as { totalCount?: unknown; results?: unknown } | null;
      if (body === null || !Array.isArray(body.results)) throw new Error(`Jamf Pro ${path}: the answer has no "results" list`);
      results.push(...body.results.filter((item): item is JamfObject => typeof item === 'object' && item !== null));
      const total = typeof body.totalCount === 'number' ? body.totalCount : results.length;
      if (body.results.length === 0 || results.length >= total) return results;
    }
    throw new Error(`Jamf Pro ${path}: more than ${MAX_PAGES} pages`);
  }

  return {
    name: server.name,
    async read(signal) {
      const now = options.clock.now();
      const credentials: SourcedCredential[] = [];
      const warnings: SourceWarning[] = [];
      const notifications = await get('api/v1/notifications', signal);
      const notes = Array.isArray(notifications) ? (notifications as JamfObject[]) : [];
      const revokedVpp = new Set(
        notes.filter((note) => note.type === 'VPP_TOKEN_REVOKED').map((note) => text((note.params as JamfObject | undefined)?.name)),
      );

      for (const location of await paged('api/v1/volume-purchasing-locations', signal)) {
        const id = text(location.id);
        if (id === null) {
          warnings.push({ sourceId: '?', message: 'a volume purchasing location without an id was skipped' });
          continue;
        }
        const expiresAt = instant(location.tokenExpiration);
        const name = text(location.name) ?? `Jamf Pro volume purchasing location ${id}`;
        const organization = text(location.organizationName);
        const locationName = text(location.locationName);
        const country = text(location.countryCode);
        credentials.push({
          sourceId: `vpp:${id}`,
          kind: 'vpp',
          name,
          expiresAt,
          state: revokedVpp.has(name) ? 'revoked' : stateAt(expiresAt, now),
          appleId: text(location.appleId),
          mdm: 'jamf',
          facts: {
            ...(organization === null ? {} : { orgName: organization }),
            ...(locationName === null ? {} : { locationName }),
            ...(country === null ? {} : { countryCode: country.toUpperCase() }),
          },
        });
      }

      for (const instance of await paged('api/v1/device-enrollments', signal)) {
        const id = text(instance.id);
        if (id === null) {
          warnings.push({ sourceId: '?', message: 'an Automated Device Enrollment instance without an id was skipped' });
          continue;
        }
        const expiresAt = instant(instance.tokenExpirationDate);
        const serverName = text(instance.serverName);
        credentials.push({
          sourceId: `ade:${id}`,
          kind: 'ade',
          name: text(instance.name) ?? serverName ?? `Jamf Pro ADE instance ${id}`,
          expiresAt,
          state: stateAt(expiresAt, now),
          appleId: null,
          mdm: 'jamf',
          facts: {
            ...(serverName === null ? {} : { serverName }),
            ...(text(instance.orgName) === null ? {} : { orgName: text(instance.orgName) ?? '' }),
          },
        });
      }

      const push = notes.find((note) => ['PUSH_CERT_WILL_EXPIRE', 'PUSH_CERT_EXPIRED', 'APNS_CERT_REVOKED'].includes(String(note.type)));
      if (push !== undefined) {
        const days = Number((push.params as JamfObject | undefined)?.days);
        const expiresAt = push.type === 'PUSH_CERT_WILL_EXPIRE' && Number.isFinite(days) ? now.startOf('day').plus({ days }) : null;
        credentials.push({
          sourceId: 'apns',
          kind: 'apns',
          name: `${server.name} MDM push certificate`,
          expiresAt,
          state: push.type === 'APNS_CERT_REVOKED' ? 'revoked' : push.type === 'PUSH_CERT_EXPIRED' ? 'expired' : 'valid',
          appleId: null,
          mdm: 'jamf',
          facts: {},
        });
      }
      return { credentials, warnings };
    },
    async check(signal) {
      await tokens.get(signal);
      const reading = await this.read(signal);
      return `${new URL(base).host}: ${reading.credentials.length} credential(s) readable`;
    },
  };
}

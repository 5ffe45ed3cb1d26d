// The Jamf Pro source against a local server that speaks the Jamf Pro API: OAuth client credentials, paging,
// notifications for the push certificate, expired tokens, errors.
import { DateTime } from 'luxon';
import { fixedClock } from '../../src/clock';
import { createJamfSource } from '../../src/sources/jamf-source';
import type { Source } from '../../src/sources/source';
import { startFakeJamf, type FakeJamfOptions, type FakeJamfServer } from '../support/fake-jamf-server';

const SECRET = 'jamf-client-secret-value';
const NOW = DateTime.fromISO('2026-11-30T09:00:00Z', { zone: 'utc' });

const servers: FakeJamfServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function jamf(overrides: Partial<FakeJamfOptions> = {}): Promise<FakeJamfServer> {
  const server = await startFakeJamf({
    clientId: 'tokenwatch-client',
    clientSecret: SECRET,
    volumePurchasingLocations: [
      { id: '1', name: 'Acme US', appleId: 'vpp-us@acme.com', organizationName: 'Acme', tokenExpiration: '2027-03-01T10:00:00Z', countryCode: 'us', locationName: 'US Stores' },
      { id: '2', name: 'Acme EU', appleId: 'vpp-eu@acme.com', organizationName: 'Acme', tokenExpiration: '2027-04-01T10:00:00.000+0000', countryCode: 'de', locationName: 'EU Stores' },
      { id: '3', name: 'Acme Old', appleId: 'old@acme.com', organizationName: 'Acme', tokenExpiration: '2026-11-01T10:00:00Z', countryCode: 'us', locationName: 'Old' },
    ],
    deviceEnrollments: [{ id: '7', name: 'Acme ADE', serverName: 'Acme Jamf', orgName: 'Acme Inc', tokenExpirationDate: '2027-08-24' }],
    notifications: [{ type: 'PUSH_CERT_WILL_EXPIRE', id: '0', params: { days: 20 } }],
    ...overrides,
  });
  servers.push(server);
  return server;
}

function source(server: FakeJamfServer, clientSecret = SECRET): Source {
  return createJamfSource({ name: 'jamf', url: server.url, clientId: 'tokenwatch-client', clientSecret }, { clock: fixedClock(NOW), timeoutMs: 10_000, pageSize: 2 });
}

describe('the Jamf Pro source', () => {
  test('reads volume purchasing locations over pages and ADE instances as Jamf credentials', async () => {
    const server = await jamf();
    const reading = await source(server).read();
    expect(reading.credentials.filter((c) => c.kind !== 'apns').map((c) => [c.kind, c.sourceId, c.name, c.expiresAt?.toISO(), c.appleId, c.state, c.mdm])).toEqual([
      ['vpp', 'vpp:1', 'Acme US', '2027-03-01T10:00:00.000Z', 'vpp-us@acme.com', 'valid', 'jamf'],
      ['vpp', 'vpp:2', 'Acme EU', '2027-04-01T10:00:00.000Z', 'vpp-eu@acme.com', 'valid', 'jamf'],
      ['vpp', 'vpp:3', 'Acme Old', '2026-11-01T10:00:00.000Z', 'old@acme.com', 'expired', 'jamf'],
      ['ade', 'ade:7', 'Acme ADE', '2027-08-24T00:00:00.000Z', null, 'valid', 'jamf'],
    ]);
    expect(reading.credentials[1]?.facts).toEqual({ orgName: 'Acme', locationName: 'EU Stores', countryCode: 'DE' });
    const pages = server.requests.filter((r) => r.url.startsWith('/api/v1/volume-purchasing-locations')).map((r) => new URL(r.url, 'http://x').searchParams.get('page'));
    expect(pages).toEqual(['0', '1']);
  });

  test("takes the push certificate's expiry from Jamf Pro's own warning, counted from today", async () => {
    const reading = await source(await jamf()).read();
    const apns = reading.credentials.find((c) => c.kind === 'apns');
    expect(apns?.expiresAt?.toISODate()).toBe('2026-12-20');
    expect(apns?.state).toBe('valid');
  });

  test('reports a revoked push certificate and a revoked content token by their state', async () => {
    const reading = await source(
      await jamf({ notifications: [{ type: 'APNS_CERT_REVOKED', id: '1', params: {} }, { type: 'VPP_TOKEN_REVOKED', id: '2', params: { name: 'Acme EU' } }] }),
    ).read();
    expect(reading.credentials.find((c) => c.kind === 'apns')?.state).toBe('revoked');
    expect(reading.credentials.find((c) => c.name === 'Acme EU')?.state).toBe('revoked');
  });

  test('says nothing of the push certificate while Jamf Pro does not warn about it', async () => {
    const reading = await source(await jamf({ notifications: [] })).read();
    expect(reading.credentials.map((c) => c.kind)).not.toContain('apns');
  });

  test('signs in again once when the server drops the bearer token before its time', async () => {
    const server = await jamf();
    const jamfPro = source(server);
    await jamfPro.read();
    server.expireTokens();
    const reading = await jamfPro.read();
    expect(reading.credentials).toHaveLength(5);
    expect(server.issuedTokens).toHaveLength(2);
  });

  test('only reads: the one POST is the sign-in', async () => {
    const server = await jamf();
    await source(server).read();
    expect(new Set(server.requests.filter((r) => r.method !== 'GET').map((r) => r.url))).toEqual(new Set(['/api/oauth/token']));
  });

  test('retries a 503 and a 429 within the bound', async () => {
    const server = await jamf();
    server.script({ path: '/api/v1/device-enrollments', status: 503, body: { httpStatus: 503, errors: [] } }, { path: '/api/v1/notifications', status: 429, headers: { 'retry-after': '0' } });
    const reading = await source(server).read();
    expect(reading.credentials).toHaveLength(5);
  });

  test("fails with Jamf Pro's error code and description, and a wrong secret never shows", async () => {
    const server = await jamf();
    server.script({ path: '/api/v1/volume-purchasing-locations', status: 403, body: { httpStatus: 403, errors: [{ code: 'FORBIDDEN', description: 'Forbidden', id: '0', field: null }] } });
    await expect(source(server).read()).rejects.toThrow('HTTP 403: FORBIDDEN: Forbidden');
    const failure = await source(server, 'not-the-secret-123').read().then(() => null, (error: unknown) => error as Error);
    expect(failure?.message).toBe('HTTP 401: invalid_client');
    expect(failure?.message).not.toContain('not-the-secret-123');
  });
});

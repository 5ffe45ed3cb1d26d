// The Intune source against a local server that speaks Microsoft Graph: paging, $select, throttling, errors, sign-in.
import { DateTime } from 'luxon';
import { fixedClock, type Clock } from '../../src/clock';
import { createIntuneSource } from '../../src/sources/intune-source';
import type { Source } from '../../src/sources/source';
import { startFakeGraph, type FakeGraphOptions, type FakeGraphServer } from '../support/fake-graph-server';

const SECRET = 'graph-client-secret-value';
const VPP_SECRET = 'eyJleHBEYXRlIjoiMjAyNy0wMy0wMSJ9-the-vpp-token-itself';
const NOW = DateTime.fromISO('2026-11-30T09:00:00Z', { zone: 'utc' });

const servers: FakeGraphServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function graph(overrides: Partial<FakeGraphOptions> = {}): Promise<FakeGraphServer> {
  const server = await startFakeGraph({
    tenantId: 'contoso-tenant',
    clientId: 'app-id',
    clientSecret: SECRET,
    vppTokens: [
      { id: 'v1', organizationName: 'Contoso', displayName: 'Contoso Paris', locationName: 'Paris', appleId: 'vpp@contoso.com', expirationDateTime: '2027-03-01T10:00:00Z', state: 'valid', countryOrRegion: 'fr', token: VPP_SECRET },
      { id: 'v2', organizationName: 'Contoso', locationName: 'Lyon', appleId: 'vpp2@contoso.com', expirationDateTime: '2027-04-01T10:00:00Z', state: 'invalid', token: VPP_SECRET },
      { id: 'v3', organizationName: 'Contoso', displayName: 'Old', expirationDateTime: '2026-10-01T10:00:00Z', state: 'assignedToExternalMDM', token: VPP_SECRET },
      { id: 'v4', organizationName: 'Contoso', displayName: 'Dup', expirationDateTime: '2027-06-01T10:00:00Z', state: 'duplicateLocationId', token: VPP_SECRET },
      { id: 'v5', organizationName: 'Contoso', displayName: 'Spare', expirationDateTime: '2027-07-01T10:00:00Z', state: 'valid', token: VPP_SECRET },
    ],
    apnsCertificate: { id: 'apns', appleIdentifier: 'push@contoso.com', topicIdentifier: 'com.apple.mgmt.External.3f1c', expirationDateTime: '2027-02-10T08:00:00Z', certificate: '-----BEGIN CERTIFICATE-----secret-body' },
    depOnboardingSettings: [{ id: 'd1', tokenName: 'Contoso ADE', appleIdentifier: 'ade@contoso.com', tokenExpirationDateTime: '2027-05-05T00:00:00Z' }],
    ...overrides,
  });
  servers.push(server);
  return server;
}

function source(server: FakeGraphServer, clock: Clock = fixedClock(NOW), clientSecret = SECRET): Source {
  return createIntuneSource(
    { name: 'intune', tenantId: 'contoso-tenant', clientId: 'app-id', clientSecret, graphUrl: server.graphUrl, loginUrl: server.loginUrl },
    { clock, timeoutMs: 10_000 },
  );
}

describe('the Intune source', () => {
  test('reads every VPP token over several pages, the push certificate and the ADE tokens, as Intune credentials', async () => {
    const server = await graph();
    const reading = await source(server).read();
    expect(reading.warnings).toEqual([]);
    expect(reading.credentials.map((c) => [c.kind, c.sourceId, c.name, c.expiresAt?.toISO(), c.appleId, c.mdm])).toEqual([
      ['vpp', 'vpp:v1', 'Contoso Paris', '2027-03-01T10:00:00.000Z', 'vpp@contoso.com', 'intune'],
      ['vpp', 'vpp:v2', 'Contoso / Lyon', '2027-04-01T10:00:00.000Z', 'vpp2@contoso.com', 'intune'],
      ['vpp', 'vpp:v3', 'Old', '2026-10-01T10:00:00.000Z', null, 'intune'],
      ['vpp', 'vpp:v4', 'Dup', '2027-06-01T10:00:00.000Z', null, 'intune'],
      ['vpp', 'vpp:v5', 'Spare', '2027-07-01T10:00:00.000Z', null, 'intune'],
      ['apns', 'apns', 'com.apple.mgmt.External.3f1c', '2027-02-10T08:00:00.000Z', 'push@contoso.com', 'intune'],
      ['ade', 'ade:d1', 'Contoso ADE', '2027-05-05T00:00:00.000Z', 'ade@contoso.com', 'intune'],
    ]);
    expect(reading.credentials[0]?.facts).toEqual({ orgName: 'Contoso', locationName: 'Paris', countryCode: 'FR' });
    expect(reading.credentials[5]?.facts).toEqual({ topic: 'com.apple.mgmt.External.3f1c' });
    // Five VPP tokens at two per page: three pages, each followed through @odata.nextLink.
    expect(server.requests.filter((r) => r.url.startsWith('/graph/beta/deviceAppManagement/vppTokens'))).toHaveLength(3);
  });

  test("maps Graph's token states, including the ones that need an admin at once", async () => {
    const reading = await source(await graph()).read();
    expect(reading.credentials.filter((c) => c.kind === 'vpp').map((c) => c.state)).toEqual([
      'valid',
      'invalid',
      'assignedToExternalMDM',
      'duplicateLocationId',
      'valid',
    ]);
  });

  test('never fetches the VPP token string or the certificate body: every request names its fields', async () => {
    const server = await graph();
    const reading = await source(server).read();
    const graphRequests = server.requests.filter((r) => r.url.startsWith('/graph/'));
    for (const request of graphRequests) {
      const select = new URL(request.url, 'http://x').searchParams.get('$select');
      expect(select).not.toBeNull();
      expect(select?.split(',')).not.toContain('token');
      expect(select?.split(',')).not.toContain('certificate');
    }
    expect(JSON.stringify(reading)).not.toContain(VPP_SECRET);
    expect(JSON.stringify(reading)).not.toContain('secret-body');
  });

  test('only reads: every Graph request is a GET, and the one POST is the sign-in', async () => {
    const server = await graph();
    await source(server).read();
    expect(server.requests.filter((r) => r.method !== 'GET').map((r) => new URL(r.url, 'http://x').pathname)).toEqual([
      '/login/contoso-tenant/oauth2/v2.0/token',
    ]);
  });

  test('signs in once with client credentials for the Graph scope and reuses the token until it nears its end', async () => {
    const server = await graph({ expiresIn: 120 });
    let now = NOW;
    const clock: Clock = { now: () => now };
    const intune = source(server, clock);
    await intune.read();
    await intune.read();
    expect(server.issuedTokens).toHaveLength(1);
    now = NOW.plus({ seconds: 70 }); // 50 s left: under the minute kept in reserve
    await intune.read();
    expect(server.issuedTokens).toHaveLength(2);
  });

  test('a tenant with no push certificate still gives its tokens', async () => {
    const reading = await source(await graph({ apnsCertificate: null })).read();
    expect(reading.credentials.map((c) => c.kind)).not.toContain('apns');
    expect(reading.credentials).toHaveLength(6);
  });

  test('waits out a 429 with Retry-After and reads the page again', async () => {
    const server = await graph();
    server.script({ path: '/graph/beta/deviceAppManagement/vppTokens', status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests' } } });
    const started = Date.now();
    const reading = await source(server).read();
    expect(reading.credentials).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('fails with the Graph error code and message when access is denied', async () => {
    const server = await graph();
    server.script({ path: '/graph/beta/deviceAppManagement', status: 403, body: { error: { code: 'Forbidden', message: 'Application is not authorized to perform this operation.' } } });
    await expect(source(server).read()).rejects.toThrow('HTTP 403: Forbidden: Application is not authorized to perform this operation.');
  });

  test('a wrong client secret fails with the sign-in error, and the secret is nowhere in it', async () => {
    const server = await graph();
    const failure = await source(server, fixedClock(NOW), 'wrong-secret-xyz').read().then(() => null, (error: unknown) => error as Error);
    expect(failure?.message).toBe('HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.');
    expect(failure?.message).not.toContain('wrong-secret-xyz');
  });

  test('refuses a nextLink that leads away from the Graph host', async () => {
    const server = await graph({ pageSize: 1, vppTokens: [{ id: 'v1', displayName: 'A', expirationDateTime: '2027-01-01T00:00:00Z', state: 'valid' }, { id: 'v2', displayName: 'B', expirationDateTime: '2027-01-01T00:00:00Z', state: 'valid' }] });
    server.script({ path: '/graph/beta/deviceAppManagement/vppTokens', status: 200, body: { value: [], '@odata.nextLink': 'http://elsewhere.invalid/steal' } });
    await expect(source(server).read()).rejects.toThrow('nextLink points to another host');
  });
});

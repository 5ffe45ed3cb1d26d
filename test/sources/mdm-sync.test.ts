// Covers `tokenwatch sync` with an Intune tenant and a Jamf Pro server (local servers speaking each API): what gets
// registered, a renewal seen in the MDM, an invalid token's alert, a source with bad credentials going stale and
// recovering, one token seen by two sources, and no credential in the database or the output.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { cliHarness, type CliHarness } from '../support/cli';
import { startFakeGraph, type FakeGraphServer } from '../support/fake-graph-server';
import { startFakeJamf, type FakeJamfServer } from '../support/fake-jamf-server';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

const GRAPH_SECRET = 'graph-secret-for-sync-7788';
const JAMF_SECRET = 'jamf-secret-for-sync-9911';
const VPP_TOKEN_STRING = 'intune-held-vpp-token-string-0001';

interface Listed {
  name: string;
  kind: string;
  expiresAt: string;
  appleId: string | null;
  mdm: string;
}

describe('tokenwatch sync with Intune and Jamf Pro', () => {
  let dir: string;
  let cli: CliHarness;
  let graph: FakeGraphServer;
  let jamf: FakeJamfServer;
  const vppTokens: Record<string, unknown>[] = [];

  beforeEach(async () => {
    dir = makeTempDir();
    vppTokens.splice(0, vppTokens.length, {
      id: 'v1',
      organizationName: 'Contoso',
      displayName: 'Contoso Paris',
      locationName: 'Paris',
      appleId: 'vpp@contoso.com',
      expirationDateTime: '2027-03-01T10:00:00Z',
      state: 'valid',
      token: VPP_TOKEN_STRING,
    });
    graph = await startFakeGraph({
      tenantId: 'contoso-tenant',
      clientId: 'graph-app',
      clientSecret: GRAPH_SECRET,
      vppTokens,
      apnsCertificate: { id: 'a', appleIdentifier: 'push@contoso.com', topicIdentifier: 'com.apple.mgmt.External.11aa', expirationDateTime: '2027-02-10T08:00:00Z' },
      depOnboardingSettings: [{ id: 'd1', tokenName: 'Contoso ADE', appleIdentifier: 'ade@contoso.com', tokenExpirationDateTime: '2027-05-05T00:00:00Z' }],
    });
    jamf = await startFakeJamf({
      clientId: 'jamf-client',
      clientSecret: JAMF_SECRET,
      volumePurchasingLocations: [{ id: '1', name: 'Acme US', appleId: 'vpp-us@acme.com', organizationName: 'Acme', tokenExpiration: '2027-04-01T10:00:00Z', locationName: 'US' }],
      deviceEnrollments: [{ id: '7', name: 'Acme ADE', serverName: 'Acme Jamf', tokenExpirationDate: '2027-08-24' }],
    });
    cli = cliHarness(dir, {
      TOKENWATCH_INTUNE_TENANT_ID: 'contoso-tenant',
      TOKENWATCH_INTUNE_CLIENT_ID: 'graph-app',
      TOKENWATCH_INTUNE_CLIENT_SECRET: GRAPH_SECRET,
      TOKENWATCH_GRAPH_URL: graph.graphUrl,
      TOKENWATCH_AZURE_LOGIN_URL: graph.loginUrl,
      TOKENWATCH_JAMF_URL: jamf.url,
      TOKENWATCH_JAMF_CLIENT_ID: 'jamf-client',
      TOKENWATCH_JAMF_CLIENT_SECRET: JAMF_SECRET,
    });
    cli.now = DateTime.fromISO('2026-11-30T09:00:00', { zone: 'Europe/Paris' });
  });
  afterEach(async () => {
    await Promise.all([graph.close(), jamf.close()]);
    removeDir(dir);
  });

  async function list(): Promise<Listed[]> {
    return JSON.parse((await cli.run('list', '--json')).stdout) as Listed[];
  }

  it("registers each MDM's content tokens, push certificate and ADE tokens with their kind, MDM, expiry and Apple ID", async () => {
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('intune: 3 added');
    expect(result.stdout).toContain('jamf: 2 added');
    const tokens = await list();
    expect(tokens.map((t) => [t.name, t.kind, t.expiresAt.slice(0, 10), t.appleId, t.mdm]).sort()).toEqual([
      ['Acme ADE', 'ade', '2027-08-24', null, 'jamf'],
      ['Acme US', 'vpp', '2027-04-01', 'vpp-us@acme.com', 'jamf'],
      ['Contoso ADE', 'ade', '2027-05-05', 'ade@contoso.com', 'intune'],
      ['Contoso Paris', 'vpp', '2027-03-01', 'vpp@contoso.com', 'intune'],
      ['com.apple.mgmt.External.11aa', 'apns', '2027-02-10', 'push@contoso.com', 'intune'],
    ]);
  });

  it('records a later expiry seen in Intune as a renewal, and the next scan sends the confirmation', async () => {
    expect((await cli.run('sync')).code).toBe(0);
    vppTokens[0] = { ...vppTokens[0], expirationDateTime: '2028-02-28T10:00:00Z' };
    const renewal = await cli.run('sync');
    expect(renewal.stdout).toContain('intune: renewed "Contoso Paris": expires 2028-02-28');
    const scan = await cli.run('scan');
    expect(scan.stdout).toContain('Queued renewed for "Contoso Paris"');
  });

  it('alerts at once, and once only, when Graph reports a content token invalid', async () => {
    expect((await cli.run('sync')).code).toBe(0);
    vppTokens[0] = { ...vppTokens[0], state: 'invalid' };
    const first = await cli.run('sync');
    expect(first.stdout).toMatch(/intune: .*"Contoso Paris".*invalid/);
    const history = async (): Promise<string> => (await cli.run('history', '--json')).stdout;
    const alerts = (JSON.parse(await history()) as { alert: string }[]).filter((row) => row.alert.startsWith('invalid'));
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    await cli.run('sync');
    const again = (JSON.parse(await history()) as { alert: string }[]).filter((row) => row.alert.startsWith('invalid'));
    expect(again).toHaveLength(alerts.length);
  });

  it('with a wrong client secret, fails that source only, and alerts once after the stale period', async () => {
    cli.env.TOKENWATCH_JAMF_CLIENT_SECRET = 'not-the-jamf-secret-1234';
    const first = await cli.run('sync');
    expect(first.code).toBe(1);
    expect(first.stdout + first.stderr).toContain('HTTP 401: invalid_client');
    expect(first.stdout).toContain('intune: 3 added');
    cli.now = cli.now.plus({ hours: 49 });
    const stale = await cli.run('sync');
    expect(stale.code).toBe(1);
    const alerts = (JSON.parse((await cli.run('history', '--json')).stdout) as { alert: string }[]).filter((row) => row.alert.includes('stale'));
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    cli.now = cli.now.plus({ hours: 1 });
    await cli.run('sync');
    const still = (JSON.parse((await cli.run('history', '--json')).stdout) as { alert: string }[]).filter((row) => row.alert.includes('stale'));
    expect(still).toHaveLength(alerts.length);
  });

  it('keeps two locations of one organisation apart: each has its own Apple ID', async () => {
    vppTokens.push({ id: 'v2', organizationName: 'Contoso', displayName: 'Contoso Lyon', locationName: 'Lyon', appleId: 'vpp-lyon@contoso.com', expirationDateTime: '2027-06-01T10:00:00Z', state: 'valid' });
    expect((await cli.run('sync')).code).toBe(0);
    const vpp = (await list()).filter((t) => t.kind === 'vpp' && t.name.startsWith('Contoso'));
    expect(vpp.map((t) => [t.name, t.appleId])).toEqual([
      ['Contoso Paris', 'vpp@contoso.com'],
      ['Contoso Lyon', 'vpp-lyon@contoso.com'],
    ]);
  });

  it('makes one token of a location that the token folder and Intune both report, and lists both sources', async () => {
    const folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'contoso.vpptoken'), makeTokenFile({ token: 'folder-secret-0001', expDate: '2027-03-01T10:00:00+0000', orgName: 'Contoso' }));
    cli.env.TOKENWATCH_TOKEN_DIR = folder;
    expect((await cli.run('sync')).code).toBe(0);
    const vpp = (await list()).filter((t) => t.kind === 'vpp' && t.name.startsWith('Contoso'));
    expect(vpp.map((t) => [t.name, t.expiresAt.slice(0, 10), t.appleId])).toEqual([['Contoso', '2027-03-01', 'vpp@contoso.com']]);
    const shown = JSON.parse((await cli.run('show', 'Contoso', '--json')).stdout) as { sources: { source: string; id: string }[] };
    expect(shown.sources.map((s) => `${s.source}:${s.id}`).sort()).toEqual(['folder:contoso.vpptoken', 'intune:vpp:v1']);
    const scan = await cli.run('scan', '--dry-run', '--at', '2027-02-01');
    expect(scan.stdout.match(/"Contoso"/g)).toHaveLength(1);
  });

  it('never stores or prints a client secret or a token string the MDM holds', async () => {
    const result = await cli.run('sync', '--json');
    await cli.run('scan');
    const everything = [result.stdout, result.stderr, (await cli.run('doctor')).stdout, fs.readFileSync(cli.dbPath).toString('latin1')].join('\n');
    for (const secret of [GRAPH_SECRET, JAMF_SECRET, VPP_TOKEN_STRING]) expect(everything).not.toContain(secret);
  });
});

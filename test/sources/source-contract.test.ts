// Runs the one source contract (test/support/source-contract.ts) against every source: add each new source here.
import fs from 'node:fs';
import path from 'node:path';
import { fixedClock, systemClock } from '../../src/clock';
import { createIntuneSource } from '../../src/sources/intune-source';
import { createJamfSource } from '../../src/sources/jamf-source';
import type { Source } from '../../src/sources/source';
import { createTokenFolderSource } from '../../src/sources/token-folder-source';
import { startFakeGraph } from '../support/fake-graph-server';
import { startFakeJamf } from '../support/fake-jamf-server';
import { DateTime } from 'luxon';
import { createAppleSource } from '../../src/sources/apple-source';
import { AppleChecks } from '../../src/store/apple-checks';
import { openDatabase } from '../../src/store/database';
import { startFakeAppleServer } from '../support/fake-apple-vpp-server';
import { describeSourceContract } from '../support/source-contract';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

describeSourceContract('the token folder', async () => {
  const dir = makeTempDir();
  const secrets = ['contract-folder-secret-one', 'contract-folder-secret-two'];
  fs.writeFileSync(path.join(dir, 'a.vpptoken'), makeTokenFile({ token: secrets[0], expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme A' }));
  fs.writeFileSync(path.join(dir, 'b.vpptoken'), makeTokenFile({ token: secrets[1], expDate: '2027-12-24T10:15:30-0800', orgName: 'Acme B' }));
  fs.writeFileSync(path.join(dir, 'broken.vpptoken'), Buffer.from(JSON.stringify({ token: 'contract-folder-secret-one' })).toString('base64'));
  return {
    source: createTokenFolderSource(dir),
    failingSource: createTokenFolderSource(path.join(dir, 'missing')),
    expectedIds: ['a.vpptoken', 'b.vpptoken'],
    expectedWarnings: ['broken.vpptoken'],
    secrets,
    close: async () => removeDir(dir),
  };
});

describeSourceContract('the Intune source', async () => {
  const secrets = ['contract-graph-secret-0001', 'contract-vpp-token-string'];
  const graph = await startFakeGraph({
    tenantId: 't',
    clientId: 'c',
    clientSecret: secrets[0] ?? '',
    vppTokens: [{ id: 'v1', displayName: 'A', expirationDateTime: '2027-01-01T00:00:00Z', state: 'valid', token: secrets[1] }],
    apnsCertificate: { id: 'p', topicIdentifier: 'com.apple.mgmt.External.1', expirationDateTime: '2027-02-01T00:00:00Z' },
    depOnboardingSettings: [{ id: 'd1', tokenName: 'ADE', tokenExpirationDateTime: '2027-03-01T00:00:00Z' }],
  });
  const make = (clientSecret: string): Source =>
    createIntuneSource({ name: 'intune', tenantId: 't', clientId: 'c', clientSecret, graphUrl: graph.graphUrl, loginUrl: graph.loginUrl }, { clock: systemClock, timeoutMs: 5000 });
  return {
    source: make(secrets[0] ?? ''),
    failingSource: make('wrong-contract-secret'),
    expectedIds: ['vpp:v1', 'apns', 'ade:d1'],
    expectedWarnings: [],
    secrets,
    close: () => graph.close(),
  };
});

describeSourceContract('the Jamf Pro source', async () => {
  const secrets = ['contract-jamf-secret-0001'];
  const jamf = await startFakeJamf({
    clientId: 'c',
    clientSecret: secrets[0] ?? '',
    volumePurchasingLocations: [{ id: '1', name: 'Loc', tokenExpiration: '2027-01-01T00:00:00Z' }],
    deviceEnrollments: [{ id: '2', name: 'ADE', tokenExpirationDate: '2027-02-01' }],
  });
  const make = (clientSecret: string): Source => createJamfSource({ name: 'jamf', url: jamf.url, clientId: 'c', clientSecret }, { clock: systemClock, timeoutMs: 5000 });
  return {
    source: make(secrets[0] ?? ''),
    failingSource: make('wrong-contract-secret'),
    expectedIds: ['vpp:1', 'ade:2'],
    expectedWarnings: [],
    secrets,
    close: () => jamf.close(),
  };
});

describeSourceContract('the Apple source', async () => {
  const dir = makeTempDir();
  const apple = await startFakeAppleServer();
  const db = openDatabase(path.join(dir, 'tokenwatch.db'));
  const secrets = ['contract-apple-secret-one', 'contract-apple-secret-two', 'notification-auth-secret-from-apple'];
  const write = (name: string, secret: string, orgName: string): string => {
    const bytes = makeTokenFile({ token: secret, expDate: '2027-11-24T10:15:30-0800', orgName });
    fs.writeFileSync(path.join(dir, name), bytes);
    return bytes.toString('utf8');
  };
  apple.addToken(write('a.vpptoken', 'contract-apple-secret-one', 'Acme A'), { uId: 'UA', locationName: 'A', countryISO2ACode: 'FR' });
  write('b.vpptoken', 'contract-apple-secret-two', 'Acme B'); // unknown to Apple: 9622, invalid
  const options = { baseUrl: apple.baseUrl, timeoutMs: 2000, checks: new AppleChecks(db), clock: fixedClock(DateTime.utc()) };
  return {
    source: createAppleSource({ ...options, tokenDir: dir }),
    failingSource: createAppleSource({ ...options, tokenDir: dir, baseUrl: 'http://127.0.0.1:9/mdm/v2/', quickRetries: 0 }),
    expectedIds: ['UA', 'file:b.vpptoken'],
    expectedWarnings: [],
    secrets: [...secrets, ...fs.readdirSync(dir).filter((n) => n.endsWith('.vpptoken')).map((n) => fs.readFileSync(path.join(dir, n), 'utf8'))],
    close: async () => {
      db.close();
      await apple.close();
      removeDir(dir);
    },
  };
});

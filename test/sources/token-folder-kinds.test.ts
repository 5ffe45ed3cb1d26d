// Covers `tokenwatch sync` with APNs push certificates and ADE server tokens in the token folder: registered with
// their kind, topic and (estimated) expiry, a renewed certificate with the same topic recorded as a renewal, an ADE
// token whose name carries no time reported and skipped, and nothing secret (a key beside the certificate, the ADE
// token's contents) stored.
import fs from 'node:fs';
import path from 'node:path';
import { cliHarness, type CliHarness } from '../support/cli';
import { ADE_SECRETS, makeAdeToken, makeMdmServerKey, makePushCertificate } from '../support/apple-files';
import { makeTempDir, removeDir } from '../support/temp-dir';

const TOPIC = 'com.apple.mgmt.External.5e2d7c1a-0b3f-4c8e-9a61-2f4b6d8e0c13';

interface Listed {
  name: string;
  kind: string;
  expiresAt: string;
}

describe('tokenwatch sync with push certificates and ADE tokens in the token folder', () => {
  let dir: string;
  let folder: string;
  let cli: CliHarness;

  beforeEach(() => {
    dir = makeTempDir();
    folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    cli = cliHarness(dir, { TOKENWATCH_TOKEN_DIR: folder });
  });
  afterEach(() => removeDir(dir));

  const list = async (): Promise<Listed[]> => JSON.parse((await cli.run('list', '--json')).stdout) as Listed[];

  it('registers a push certificate by its topic and an ADE token by its server, with the estimated expiry', async () => {
    const push = makePushCertificate({ topic: TOPIC, notAfter: '2027-07-01T12:00:00Z' });
    fs.writeFileSync(path.join(folder, 'MDM_push.pem'), `${push.certPem}${push.keyPem}`);
    fs.writeFileSync(path.join(folder, 'Acme_MDM_Token_2026-07-01T22-18-53Z_smime.p7m'), makeAdeToken(makeMdmServerKey(), '2027-07-01T22:18:53Z'));
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect((await list()).map((t) => [t.name, t.kind, t.expiresAt.slice(0, 10)]).sort()).toEqual([
      ['Acme_MDM', 'ade', '2027-07-02'],
      [TOPIC, 'apns', '2027-07-01'],
    ]);
    const stored = fs.readFileSync(cli.dbPath).toString('latin1');
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).not.toContain(push.keyPem.split('\n')[1] ?? 'never');
    for (const secret of Object.values(ADE_SECRETS)) expect(stored).not.toContain(secret);
  });

  it('records a new certificate with the same topic and a later expiry as a renewal', async () => {
    fs.writeFileSync(path.join(folder, 'push-2026.pem'), makePushCertificate({ topic: TOPIC, notAfter: '2027-07-01T12:00:00Z' }).certPem);
    expect((await cli.run('sync')).code).toBe(0);
    fs.writeFileSync(path.join(folder, 'push-2027.pem'), makePushCertificate({ topic: TOPIC, notBefore: '2027-06-20T12:00:00Z', notAfter: '2028-06-20T12:00:00Z' }).certPem);
    const renewal = await cli.run('sync');
    expect(renewal.stdout).toContain(`folder: renewed "${TOPIC}": expires 2028-06-20`);
    expect((await list()).map((t) => t.expiresAt.slice(0, 10))).toEqual(['2028-06-20']);
  });

  it('gives a token added from the folder the MDM of TOKENWATCH_MDM', async () => {
    cli.env.TOKENWATCH_MDM = 'intune';
    fs.writeFileSync(path.join(folder, 'push.pem'), makePushCertificate({ topic: TOPIC, notAfter: '2027-07-01T12:00:00Z' }).certPem);
    expect((await cli.run('sync')).code).toBe(0);
    const [token] = JSON.parse((await cli.run('list', '--json')).stdout) as { mdm: string }[];
    expect(token?.mdm).toBe('intune');
  });

  it('reports an ADE token whose name carries no download time, and still registers the rest', async () => {
    fs.writeFileSync(path.join(folder, 'renamed.p7m'), makeAdeToken(makeMdmServerKey(), '2027-07-01T22:18:53Z'));
    fs.writeFileSync(path.join(folder, 'push.cer'), makePushCertificate({ topic: TOPIC, notAfter: '2027-07-01T12:00:00Z' }).certPem);
    const result = await cli.run('sync');
    expect(result.stdout + result.stderr).toContain('renamed.p7m: the file name carries no download time');
    expect((await list()).map((t) => t.kind)).toEqual(['apns']);
  });
});

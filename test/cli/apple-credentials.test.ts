// Covers importing and renewing every Apple credential kind through the CLI with real files: APNs push certificates
// (PEM with a key beside it, DER), ADE server tokens (S/MIME, estimate from the file name, --expires, --key), the topic
// check on renewal, the CSV kind/topic/mdm columns, and the MDM a token records.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { ADE_SECRETS, derOf, makeAdeToken, makeMdmServerKey, makePushCertificate } from '../support/apple-files';
import { cliHarness, type CliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';

const TOPIC = 'com.apple.mgmt.External.3f1c2a9e-54b7-4d2e-9d0a-8f6b2c1e7a55';
const OTHER_TOPIC = 'com.apple.mgmt.External.77aa0f3e-1c2b-4e5d-8a9b-0c1d2e3f4a5b';

interface Listed {
  name: string;
  kind: string;
  mdm: string;
  topic: string | null;
  expiresAt: string;
  appleId: string | null;
}

describe('Apple credentials through the CLI', () => {
  let dir: string;
  let cli: CliHarness;

  beforeEach(() => {
    dir = makeTempDir();
    cli = cliHarness(dir);
  });
  afterEach(() => removeDir(dir));

  function write(name: string, content: string | Buffer): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  async function listed(): Promise<Listed[]> {
    const result = await cli.run('list', '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Listed[];
  }

  const utc = (iso: string | undefined): string | null => DateTime.fromISO(iso ?? '').toUTC().toISO();

  function dbText(): string {
    return ['', '-wal'].map((suffix) => (fs.existsSync(cli.dbPath + suffix) ? fs.readFileSync(cli.dbPath + suffix).toString('latin1') : '')).join('');
  }

  describe('APNs push certificate', () => {
    it('imports a PEM with its key beside it: expiry is notAfter, topic the subject UID, the key is never stored', async () => {
      const pair = makePushCertificate({ topic: TOPIC, notAfter: '2027-06-30T12:00:00Z' });
      const file = write('MDM_push.pem', `${pair.keyPem}\n${pair.certPem}`);
      const result = await cli.run('import', file, '--apple-id', 'push@acme.example', '--mdm', 'jamf');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe(`Imported "push@acme.example" (APNs push certificate, expires 2027-06-30, topic ${TOPIC}).`);
      const [token] = await listed();
      expect(token).toMatchObject({ name: 'push@acme.example', kind: 'apns', mdm: 'jamf', topic: TOPIC, appleId: 'push@acme.example' });
      expect(utc(token?.expiresAt)).toBe('2027-06-30T12:00:00.000Z');
      const show = JSON.parse((await cli.run('show', 'push@acme.example', '--json')).stdout) as Listed;
      expect(show.topic).toBe(TOPIC);
      const keyBody = pair.keyPem.split('\n')[5] ?? 'missing';
      expect(keyBody.length).toBeGreaterThan(40);
      expect(dbText()).not.toContain(keyBody);
      expect(dbText()).not.toContain('PRIVATE KEY');
    });

    it('imports a DER certificate and names it after its topic when no Apple ID is given', async () => {
      const file = write('push.cer', derOf(makePushCertificate({ topic: TOPIC, notAfter: '2027-05-01T08:00:00Z' })));
      expect((await cli.run('import', file)).code).toBe(0);
      const [token] = await listed();
      expect(token).toMatchObject({ name: TOPIC, kind: 'apns', mdm: 'workspace-one', topic: TOPIC });
    });

    it('refuses a certificate whose topic is not an MDM push topic, naming what it found, and adds nothing', async () => {
      const file = write('app-push.pem', makePushCertificate({ topic: 'com.acme.app.voip', notAfter: '2027-05-01T08:00:00Z' }).certPem);
      const result = await cli.run('import', file);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('subject UID "com.acme.app.voip"');
      expect(result.stderr).toContain('com.apple.mgmt.');
      expect(await listed()).toEqual([]);
    });

    it('refuses a renewal with another topic, explaining the re-enrollment; --force records the change', async () => {
      await cli.run('import', write('old.pem', makePushCertificate({ topic: TOPIC, notAfter: '2027-01-20T12:00:00Z' }).certPem), '--name', 'Push');
      const other = write('new.pem', makePushCertificate({ topic: OTHER_TOPIC, notAfter: '2028-01-20T12:00:00Z' }).certPem);

      const refused = await cli.run('renew', 'Push', '--file', other);
      expect(refused.code).toBe(2);
      expect(refused.stderr.split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('every enrolled device enroll again');
      expect(refused.stderr).toContain('Renew at https://identity.apple.com');
      expect(refused.stderr).toContain('same Apple Account');
      expect((await listed())[0]).toMatchObject({ topic: TOPIC });
      expect(utc((await listed())[0]?.expiresAt)).toBe('2027-01-20T12:00:00.000Z');

      const forced = await cli.run('renew', 'Push', '--file', other, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stderr).toContain('push topic changed');
      expect((await listed())[0]).toMatchObject({ topic: OTHER_TOPIC });
      const db = new Database(cli.dbPath, { readonly: true });
      const renewed = db.prepare(`SELECT details FROM token_history WHERE token_name = 'Push' AND action = 'renewed'`).get() as { details: string };
      db.close();
      expect(JSON.parse(renewed.details)).toMatchObject({ previousTopic: TOPIC, topic: OTHER_TOPIC });
    });

    it('renews with a certificate of the same topic and tracks its new expiry', async () => {
      await cli.run('import', write('old.pem', makePushCertificate({ topic: TOPIC, notAfter: '2027-01-20T12:00:00Z' }).certPem), '--name', 'Push');
      const renewed = write('renewed.pem', makePushCertificate({ topic: TOPIC, notBefore: '2027-01-02T00:00:00Z', notAfter: '2028-01-02T00:00:00Z' }).certPem);
      const result = await cli.run('renew', 'Push', '--file', renewed);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe(`Renewed "Push": next expiry 2028-01-02 (was 2027-01-20), topic ${TOPIC}.`);
    });

    it('refuses a file of another kind for a push certificate', async () => {
      await cli.run('import', write('old.pem', makePushCertificate({ topic: TOPIC, notAfter: '2027-01-20T12:00:00Z' }).certPem), '--name', 'Push');
      const ade = write('Acme_Token_2026-12-20T10-00-00Z_smime.p7m', makeAdeToken(makeMdmServerKey(), '2027-12-20T10:00:00Z'));
      const result = await cli.run('renew', 'Push', '--file', ade);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('holds an ADE server token, but "Push" is an APNs push certificate');
    });
  });

  describe('ADE server token', () => {
    const NAME = 'Acme_MDM_Token_2026-07-01T22-18-53Z_smime.p7m';

    it('estimates the expiry from the download time in the file name, says so, and keeps nothing of the file', async () => {
      const content = makeAdeToken(makeMdmServerKey(), '2027-07-01T22:18:53Z');
      const result = await cli.run('import', write(NAME, content), '--mdm', 'intune');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Imported "Acme_MDM" (ADE server token, expires 2027-07-02');
      expect(result.stdout).toContain('an estimate: downloaded 2026-07-01 22:18 UTC per the file name, plus one year');
      const [token] = await listed();
      expect(token).toMatchObject({ name: 'Acme_MDM', kind: 'ade', mdm: 'intune', topic: null });
      expect(utc(token?.expiresAt)).toBe('2027-07-01T22:18:53.000Z');
      const bodyLine = content.split('\r\n')[6] ?? 'missing';
      expect(bodyLine.length).toBe(76);
      expect(dbText()).not.toContain(bodyLine);
    });

    it('takes --expires instead of the estimate', async () => {
      const result = await cli.run('import', write(NAME, makeAdeToken(makeMdmServerKey(), '2027-07-01T22:18:53Z')), '--expires', '2027-06-15');
      expect(result.stdout).toContain('expires 2027-06-15, as given by --expires');
    });

    it('requires --expires when the file name carries no download time', async () => {
      const file = write('server-token_smime.p7m', makeAdeToken(makeMdmServerKey(), '2027-07-01T22:18:53Z'));
      const result = await cli.run('import', file);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the file name carries no download time');
      expect(result.stderr).toContain('--expires DATE');
      expect(await listed()).toEqual([]);
      expect((await cli.run('import', file, '--expires', '2027-03-01', '--name', 'Acme ADE')).code).toBe(0);
    });

    it('reads the exact access_token_expiry with --key and stores none of the decrypted secrets', async () => {
      const server = makeMdmServerKey();
      const key = write('mdm-key.pem', server.keyPem);
      const result = await cli.run('import', write(NAME, makeAdeToken(server, '2027-06-28T09:30:00Z')), '--key', key);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('expires 2027-06-28, access_token_expiry read with --key');
      expect(utc((await listed())[0]?.expiresAt)).toBe('2027-06-28T09:30:00.000Z');
      for (const secret of Object.values(ADE_SECRETS)) expect(dbText()).not.toContain(secret);
      expect(`${result.stdout}${result.stderr}`).not.toContain(ADE_SECRETS.consumer_secret);
    });

    it('refuses a key the token was not encrypted to, in one line, adding nothing', async () => {
      const key = write('other-key.pem', makeMdmServerKey().keyPem);
      const result = await cli.run('import', write(NAME, makeAdeToken(makeMdmServerKey(), '2027-06-28T09:30:00Z')), '--key', key);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('cannot be decrypted with');
      expect(await listed()).toEqual([]);
    });

    it('renews from a new token file with its own estimate', async () => {
      await cli.run('import', write(NAME, makeAdeToken(makeMdmServerKey(), '2027-07-01T22:18:53Z')), '--expires', '2027-01-10');
      const next = write('Acme_MDM_Token_2027-01-05T08-00-00Z_smime.p7m', makeAdeToken(makeMdmServerKey(), '2028-01-05T08:00:00Z'));
      const result = await cli.run('renew', 'Acme_MDM', '--file', next);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Renewed "Acme_MDM": next expiry 2028-01-05 (was 2027-01-10), an estimate');
    });
  });

  describe('MDM and CSV', () => {
    it('records the MDM from TOKENWATCH_MDM when --mdm is not given', async () => {
      cli.env['TOKENWATCH_MDM'] = 'intune';
      await cli.run('add', '--name', 'A', '--expires', '2027-06-01');
      await cli.run('add', '--name', 'B', '--expires', '2027-06-01', '--mdm', 'other');
      expect((await listed()).map((token) => [token.name, token.mdm])).toEqual([
        ['A', 'intune'],
        ['B', 'other'],
      ]);
      const bad = await cli.run('add', '--name', 'C', '--expires', '2027-06-01', '--mdm', 'airwatch');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--mdm: "airwatch" is not an MDM (expected one of workspace-one, jamf, intune, other)');
    });

    it('imports kind, topic and mdm columns from CSV and refuses a topic that is not an MDM push topic', async () => {
      const good = write('tokens.csv', `name,expires,kind,topic,mdm\nPush,2027-06-30,apns,${TOPIC},jamf\nApps,2027-05-01,vpp,,\n`);
      expect((await cli.run('import', '--csv', good)).code).toBe(0);
      expect((await listed()).map((token) => [token.name, token.kind, token.topic, token.mdm])).toEqual([
        ['Apps', 'vpp', null, 'workspace-one'],
        ['Push', 'apns', TOPIC, 'jamf'],
      ]);
      const bad = write('bad.csv', 'name,expires,kind,topic\nOther,2027-06-30,apns,com.acme.voip\n');
      const result = await cli.run('import', '--csv', bad);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('bad.csv line 2: topic: "com.acme.voip" is not an MDM push topic');
    });
  });

  describe('reminders', () => {
    it('sends a push certificate its own Jamf steps, with its topic, and none of the VPP steps', async () => {
      const file = write('MDM_push.pem', makePushCertificate({ topic: TOPIC, notAfter: '2027-01-31T10:00:00Z' }).certPem);
      await cli.run('import', file, '--name', 'Acme push', '--mdm', 'jamf', '--apple-id', 'push@acme.example');
      expect((await cli.run('scan')).code).toBe(0);
      const previewDir = cli.env['TOKENWATCH_PREVIEW_DIR'] ?? '';
      const json = fs.readdirSync(previewDir).find((name) => name.endsWith('.slack.json')) ?? 'missing';
      const payload = fs.readFileSync(path.join(previewDir, json), 'utf8');
      expect(payload).toContain('APNs push certificate \\"Acme push\\" expires in 30 days');
      expect(payload).toContain('Settings &gt; Global &gt; Push Certificates');
      expect(payload).toContain(`Find the certificate with the topic ${TOPIC}, choose Renew`);
      expect(payload).not.toContain('vpptoken');
      expect(payload).not.toContain('VPP Managed Distribution');
    });
  });
});

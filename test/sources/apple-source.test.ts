// Covers the Apple source through `tokenwatch sync` against a local server speaking Apple's documented client/config:
// GET only, the file's content as Bearer token, facts kept, one token per uId, 9622 as "invalid" with one alert,
// date mismatches reported, once a day per token, 503 with Retry-After, a slow server, and no secret kept.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cliHarness, type CliHarness } from '../support/cli';
import { startFakeAppleServer, type FakeAppleServer } from '../support/fake-apple-vpp-server';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

describe('the Apple source (client/config)', () => {
  let dir: string;
  let folder: string;
  let apple: FakeAppleServer;
  let smtp: SmtpReceiver;
  let cli: CliHarness;

  /** Writes a token file; returns its content, which is what Apple takes as the Bearer token. */
  function dropFile(name: string, orgName: string, expDate: string, secret: string): string {
    const bytes = makeTokenFile({ token: secret, expDate, orgName });
    fs.writeFileSync(path.join(folder, name), bytes);
    return bytes.toString('utf8');
  }

  function sourceRows(): { source: string; source_id: string; state: string; facts: string }[] {
    const db = new Database(cli.dbPath, { readonly: true });
    try {
      return db.prepare('SELECT source, source_id, state, facts FROM token_sources ORDER BY source, source_id').all() as {
        source: string;
        source_id: string;
        state: string;
        facts: string;
      }[];
    } finally {
      db.close();
    }
  }

  beforeEach(async () => {
    dir = makeTempDir();
    folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    apple = await startFakeAppleServer();
    smtp = await startSmtpReceiver();
    cli = cliHarness(dir, {
      TOKENWATCH_TOKEN_DIR: folder,
      TOKENWATCH_APPLE_CHECK: 'on',
      TOKENWATCH_APPLE_VPP_URL: apple.baseUrl,
      TOKENWATCH_SMTP_URL: smtp.url,
      TOKENWATCH_MAIL_TO: 'admins@example.test',
      TOKENWATCH_SEND_TIMEOUT_SECONDS: '5',
    });
  });
  afterEach(async () => {
    await apple.close();
    await smtp.close();
    removeDir(dir);
  });

  it('asks with GET and the file as Bearer token, never POST, and records location, uId and country', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-1');
    apple.addToken(sToken, { uId: '2049025000431439', locationName: 'Acme HQ', countryISO2ACode: 'FR', tokenExpirationDate: '2027-11-24T18:15:30+0000' });
    const result = await cli.run('sync');
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('apple: 0 added, 0 renewed, 0 state changed, 1 unchanged');
    expect(apple.requests).toEqual([{ method: 'GET', path: '/mdm/v2/client/config', authorization: `Bearer ${sToken}` }]);
    const appleRow = sourceRows().find((row) => row.source === 'apple');
    expect(appleRow).toMatchObject({ source_id: '2049025000431439', state: 'valid' });
    expect(JSON.parse(appleRow?.facts ?? '{}')).toMatchObject({ uId: '2049025000431439', locationName: 'Acme HQ', countryCode: 'FR', orgName: 'Acme Main' });
  });

  it('asks about each token at most once a day', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-2');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    await cli.run('sync');
    cli.now = cli.now.plus({ hours: 23 });
    await cli.run('sync');
    expect(apple.requests).toHaveLength(1);
    cli.now = cli.now.plus({ hours: 2 });
    await cli.run('sync');
    expect(apple.requests).toHaveLength(2);
  });

  it('marks a token Apple rejects (9622) invalid and alerts once, with what it means and what to do', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-3');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    expect((await cli.run('sync')).code).toBe(0);
    apple.invalidate(sToken);
    cli.now = cli.now.plus({ days: 1 });
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apple: "Acme Main": state valid -> invalid (U1)');
    expect(result.stdout).toMatch(/apple: alert queued: Acme Main: invalid:invalid:\d+/);
    for (const days of [2, 3]) {
      cli.now = cli.now.plus({ days });
      await cli.run('sync');
    }
    expect(smtp.messages.map((m) => m.subject)).toEqual(['[tokenwatch] INVALID: VPP token "Acme Main" is invalid before its date (2027-11-24)']);
    expect(smtp.messages[0]?.text).toContain('The source said: Apple error 9622: Invalid authentication token');
    expect(smtp.messages[0]?.text).toContain('What to do:');
  });

  it('takes two files of one location (same uId) as one token, and alerts once when both die', async () => {
    const old = dropFile('acme-2026.vpptoken', 'Acme Main', '2027-01-20T10:00:00+0000', 'apple-secret-old');
    const renewed = dropFile('acme-2027.vpptoken', 'Acme Main', '2028-01-18T10:00:00+0000', 'apple-secret-new');
    apple.addToken(old, { uId: 'U7', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    apple.addToken(renewed, { uId: 'U7', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    const first = await cli.run('sync');
    expect(first.stdout).toContain('folder: 1 added');
    expect(sourceRows().filter((row) => row.source === 'apple').map((row) => row.source_id)).toEqual(['U7']);
    apple.invalidate(old);
    apple.invalidate(renewed);
    cli.now = cli.now.plus({ days: 1 });
    await cli.run('sync');
    expect(smtp.messages).toHaveLength(1);
    const tokens = JSON.parse((await cli.run('list', '--json')).stdout) as unknown[];
    expect(tokens).toHaveLength(1);
  });

  it('reports a tokenExpirationDate that differs from the file\'s date', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-4');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR', tokenExpirationDate: '2027-10-01T00:00:00+0000' });
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apple: acme.vpptoken: Apple says the token expires 2027-10-01, the file says 2027-11-24 (UTC)');
  });

  it('waits for Retry-After on a 503 and then reads Apple', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-5');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    apple.failNext(1, '1');
    const started = Date.now();
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(apple.requests).toHaveLength(2);
  });

  it('fails the Apple source, not the folder, when Apple keeps answering 503, after a bounded number of tries', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-6');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    apple.failNext(100);
    const result = await cli.run('sync');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('folder: 1 added');
    expect(result.stdout).toMatch(/^apple: failed: Apple http:\/\/127\.0\.0\.1:\d+\/mdm\/v2\/client\/config: HTTP 503$/m);
    expect(apple.requests).toHaveLength(3);
  });

  it('gives up on a server that does not answer within the bound', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-7');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    apple.delayMs = 5000;
    cli.env['TOKENWATCH_SEND_TIMEOUT_SECONDS'] = '1';
    const started = Date.now();
    const result = await cli.run('sync');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^apple: failed: Apple http:.*client\/config: no answer within 1 s$/m);
    expect(Date.now() - started).toBeLessThan(4500); // the server would take 5 s
  });

  it('keeps neither the token nor Apple\'s notificationAuthToken in the database or the output', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-8');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    const result = await cli.run('sync', '--json');
    const bytes = Buffer.concat(fs.readdirSync(dir).filter((n) => n.startsWith('tokenwatch.db')).map((n) => fs.readFileSync(path.join(dir, n))));
    for (const secret of [sToken, 'apple-secret-acme-8', 'notification-auth-secret-from-apple']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  it('is off by default: without TOKENWATCH_APPLE_CHECK=on, Apple is never asked', async () => {
    dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-9');
    delete cli.env['TOKENWATCH_APPLE_CHECK'];
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('apple:');
    expect(apple.requests).toHaveLength(0);
  });

  it('refuses TOKENWATCH_APPLE_CHECK=on without a token folder (exit code 2)', async () => {
    delete cli.env['TOKENWATCH_TOKEN_DIR'];
    const result = await cli.run('sync');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TOKENWATCH_APPLE_CHECK: on, but no token folder');
  });

  it('is checked by doctor with one real call', async () => {
    const sToken = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800', 'apple-secret-acme-10');
    apple.addToken(sToken, { uId: 'U1', locationName: 'Acme HQ', countryISO2ACode: 'FR' });
    const result = await cli.run('doctor');
    expect(result.stdout).toMatch(/^source apple ok {2}http:.*\/mdm\/v2\/: answers \(acme\.vpptoken is Acme HQ\); 1 VPP token file checked at most once a day; never synced$/m);
    expect(apple.requests.every((r) => r.method === 'GET')).toBe(true);
  });
});

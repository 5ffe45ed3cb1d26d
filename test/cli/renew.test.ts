// `renew` refuses what would move the expiry backwards or reuse a file the token already had, for every kind (unless
// --force, which says what it let through), and sends the "renewed" confirmation at once unless a daemon holds the
// sending lease.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { openDatabase } from '../../src/store/database';
import { Lease } from '../../src/store/lease';
import { makeAdeToken, makeMdmServerKey, makePushCertificate } from '../support/apple-files';
import { cliHarness, type CliHarness } from '../support/cli';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

describe('renew', () => {
  let dir: string;
  let smtp: SmtpReceiver;
  let cli: CliHarness;

  /** A token file as Apple names it: every download for a location has the same name, so each goes in its own folder. */
  function download(folder: string, expDate: string, secret: string): string {
    const file = path.join(dir, folder, 'sToken_for_Acme_Corp.vpptoken');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, makeTokenFile({ token: secret, expDate, orgName: 'Acme Corp' }));
    return file;
  }

  /** Everything `show --json` says about the token: its fields and its history. */
  async function registry(): Promise<unknown> {
    return JSON.parse((await cli.run('show', 'Acme Corp', '--json')).stdout);
  }

  beforeEach(async () => {
    dir = makeTempDir();
    smtp = await startSmtpReceiver();
    cli = cliHarness(dir, {
      TOKENWATCH_SMTP_URL: smtp.url,
      TOKENWATCH_MAIL_TO: 'mdm@acme.example',
      TOKENWATCH_MAIL_FROM: 'tokenwatch <tokenwatch@acme.example>',
    });
    cli.now = DateTime.fromISO('2026-12-20T10:00', { zone: 'Europe/Paris' });
  });
  afterEach(async () => {
    await smtp.close();
    removeDir(dir);
  });

  describe('checks', () => {
    let lastYear: string;
    let thisYear: string;
    beforeEach(async () => {
      lastYear = download('2026', '2027-01-15T10:00:00+0100', 'secret-2026');
      thisYear = download('2027', '2028-01-14T10:00:00+0100', 'secret-2027');
      expect((await cli.run('import', lastYear)).code).toBe(0);
      expect((await cli.run('renew', 'Acme Corp', '--file', thisYear)).code).toBe(0);
    });

    it('refuses last year\'s file with one line and exit 2, leaving the registry as it was', async () => {
      const before = await registry();
      expect(await cli.run('renew', 'Acme Corp', '--file', lastYear)).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'tokenwatch: renew "Acme Corp": the new expiry 2027-01-15 is earlier than the current one 2028-01-14; this token already had this file ' +
          `(SHA-256 ${createHash('sha256').update(fs.readFileSync(lastYear)).digest('hex').slice(0, 12)}…) ` +
          '(expected the file downloaded after renewing; use --force to record it anyway)',
      });
      expect(await registry()).toEqual(before);
    });

    it('refuses the current file again, and an expiry that is not later', async () => {
      const before = await registry();
      const again = await cli.run('renew', 'Acme Corp', '--file', thisYear);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/^tokenwatch: renew "Acme Corp": the new expiry 2028-01-14 is the same as the current one 2028-01-14; this token already had this file/);
      const same = await cli.run('renew', 'Acme Corp', '--expires', '2028-01-14T10:00:00+01:00');
      expect(same).toMatchObject({ code: 2, stderr: expect.stringMatching(/the new expiry 2028-01-14 is the same as the current one 2028-01-14 \(expected/) });
      const earlier = await cli.run('renew', 'Acme Corp', '--expires', '2027-12-01');
      expect(earlier).toMatchObject({ code: 2, stderr: expect.stringMatching(/the new expiry 2027-12-01 is earlier than the current one 2028-01-14 \(expected/) });
      expect(await registry()).toEqual(before);
    });

    it('records a deliberate correction with --force, saying what it changed, in its output and its history', async () => {
      const forced = await cli.run('renew', 'Acme Corp', '--file', lastYear, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout.split('\n')[0]).toBe('Renewed "Acme Corp": next expiry 2027-01-15 (was 2028-01-14).');
      expect(forced.stderr).toMatch(/^WARNING: recorded with --force although the new expiry 2027-01-15 is earlier than the current one 2028-01-14; this token already had this file/);
      const shown = await cli.run('show', 'Acme Corp');
      expect(shown.stdout).toMatch(/renewed: 2028-01-14 → 2027-01-15 \(--force: the new expiry 2027-01-15 is earlier than the current one 2028-01-14; this token already had this file/);
    });
  });

  describe.each([
    {
      kind: 'APNs push certificate',
      file: (year: number): string => {
        const file = path.join(dir, String(year), 'MDM_Acme_Certificate.pem');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const topic = 'com.apple.mgmt.External.3f1c2a9e-54b7-4d2e-9d0a-8f6b2c1e7a55';
        fs.writeFileSync(file, makePushCertificate({ topic, notBefore: `${year - 1}-01-10T12:00:00Z`, notAfter: `${year}-01-10T12:00:00Z` }).certPem);
        return file;
      },
    },
    {
      kind: 'ADE server token',
      // The download time in the name gives the expiry estimate (a year later); each download gets a new name.
      file: (year: number): string => {
        const file = path.join(dir, `Acme_Corp_Token_${year - 1}-01-10T12-00-00Z_smime.p7m`);
        fs.writeFileSync(file, makeAdeToken(makeMdmServerKey(), `${year}-01-10T12:00:00Z`));
        return file;
      },
    },
  ])('checks of an $kind', ({ file }) => {
    it('refuses last year\'s file and the current file again in one line, exit 2, registry unchanged; --force records it', async () => {
      const lastYear = file(2027);
      const thisYear = file(2028);
      expect((await cli.run('import', lastYear, '--name', 'Acme Corp')).code).toBe(0);
      expect((await cli.run('renew', 'Acme Corp', '--file', thisYear)).code).toBe(0);
      const before = await registry();
      for (const again of [lastYear, thisYear]) {
        const refused = await cli.run('renew', 'Acme Corp', '--file', again);
        expect(refused).toMatchObject({ code: 2, stdout: '' });
        expect(refused.stderr.split('\n')).toHaveLength(1);
        expect(refused.stderr).toMatch(/^tokenwatch: renew "Acme Corp": the new expiry 202[78]-01-10 is (earlier than|the same as) the current one 2028-01-10; this token already had this file/);
      }
      expect(await registry()).toEqual(before);
      const forced = await cli.run('renew', 'Acme Corp', '--file', lastYear, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout.split('\n')[0]).toMatch(/^Renewed "Acme Corp": next expiry 2027-01-10 \(was 2028-01-10\)/);
      expect(forced.stderr).toMatch(/^WARNING: recorded with --force although the new expiry 2027-01-10 is earlier than the current one 2028-01-10; this token already had this file/);
      expect((await cli.run('show', 'Acme Corp')).stdout).toMatch(/renewed: 2028-01-10 → 2027-01-10 \(--force: the new expiry 2027-01-10 is earlier/);
    });
  });

  describe('the confirmation', () => {
    beforeEach(async () => {
      expect((await cli.run('add', '--name', 'Acme Corp', '--expires', '2027-01-15', '--email', 'it@acme.example')).code).toBe(0);
    });

    it('is sent at once when no other process is sending', async () => {
      const renewed = await cli.run('renew', 'Acme Corp', '--expires', '2028-01-14');
      expect(renewed).toMatchObject({ code: 0, stderr: '' });
      expect(renewed.stdout.split('\n')).toEqual([
        'Renewed "Acme Corp": next expiry 2028-01-14 (was 2027-01-15).',
        'Renewal confirmation sent to email:it@acme.example.',
      ]);
      expect(smtp.messages.map((m) => [m.envelopeTo.join(), m.subject])).toEqual([
        ['it@acme.example', expect.stringMatching(/^\[tokenwatch\] Renewed: /)],
      ]);
      // Once: a scan afterwards sends nothing more.
      expect((await cli.run('scan')).stdout).toMatch(/0 queued, 0 skipped, 0 sent/);
      expect(smtp.messages).toHaveLength(1);
    });

    it('is left to the daemon holding the lease, and renew says when it goes', async () => {
      // A daemon on another host holds the sending lease (taken now, for a minute).
      const db = openDatabase(cli.dbPath);
      expect(new Lease(db, 'other-host:4242:abcd', 60_000, { role: 'daemon' }).tryAcquire(cli.now)).toBe(true);
      db.close();
      const renewed = await cli.run('renew', 'Acme Corp', '--expires', '2028-01-14');
      expect(renewed).toMatchObject({ code: 0, stderr: '' });
      expect(renewed.stdout.split('\n')).toEqual([
        'Renewed "Acme Corp": next expiry 2028-01-14 (was 2027-01-15).',
        "The renewal confirmation goes with the daemon's next scan, 2026-12-21 09:00 (Europe/Paris) " +
          '(a daemon (pid 4242 on other-host, since 2026-12-20T09:00:00.000Z) is sending for this registry).',
      ]);
      expect(smtp.messages).toHaveLength(0);
    });
  });
});

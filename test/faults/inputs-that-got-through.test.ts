// Inputs an adversarial run got through (issue 13): each is refused with exit 2 and one line naming it, and leaves the
// registry as it was; the secrets case checks nothing stores or prints a short password. Real CLI, real SQLite file,
// the real SMTP server.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { APPLICATION_ID } from '../../src/store/database';
import { cliHarness, type CliHarness } from '../support/cli';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

describe('inputs that used to get through', () => {
  let dir: string;
  let cli: CliHarness;
  let registry: Buffer;

  beforeEach(async () => {
    dir = makeTempDir();
    cli = cliHarness(dir);
    expect((await cli.run('add', '--name', 'Existing', '--expires', '2027-06-01', '--email', 'a@x.test')).code).toBe(0);
    registry = fs.readFileSync(cli.dbPath);
  });
  afterEach(() => removeDir(dir));

  /** Exit 2, one line naming `names`, and the registry byte for byte as it was (no write-ahead log either). */
  async function expectRefused(argv: readonly string[], names: RegExp): Promise<string> {
    const result = await cli.run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^tokenwatch: /);
    expect(result.stderr).toMatch(names);
    expect(fs.readFileSync(cli.dbPath).equals(registry)).toBe(true);
    expect(fs.existsSync(`${cli.dbPath}-wal`) ? fs.statSync(`${cli.dbPath}-wal`).size : 0).toBe(0);
    return result.stderr;
  }

  describe('TOKENWATCH_MAIL_FROM', () => {
    it.each([['not an address at all'], ['x\r\nBcc: injected@evil.com'], ['Ops <ops@example.com>\nBcc: x@evil.com'], ['a\u0001b@x.com']])(
      'refuses %j',
      async (value) => {
        cli.env['TOKENWATCH_MAIL_FROM'] = value;
        await expectRefused(['scan', '--dry-run'], /TOKENWATCH_MAIL_FROM/);
      },
    );

    it('accepts an address alone or with a name', async () => {
      for (const value of ['ops@example.com', 'MDM team <mdm@example.com>', '"MDM, Team" <mdm@example.com>']) {
        cli.env['TOKENWATCH_MAIL_FROM'] = value;
        expect((await cli.run('scan', '--dry-run')).code).toBe(0);
      }
    });
  });

  describe('secrets of any length', () => {
    let smtp: SmtpReceiver;
    afterEach(async () => smtp.close());

    it('never stores or prints a three-letter SMTP password, even when the server quotes it back', async () => {
      const password = 'Zq7';
      smtp = await startSmtpReceiver({
        auth: { user: 'mdm', password },
        rejectRecipients: () => true,
        rejectCode: 550,
      });
      // The server's refusal quotes the password (as the adversarial server did with 535 … abc).
      smtp.failNext(100, { code: 550, stage: 'rcpt', message: `mailbox refused for password ${password}` });
      cli.env['TOKENWATCH_SMTP_URL'] = `smtp://mdm:${password}@127.0.0.1:${smtp.port}`;
      cli.env['TOKENWATCH_MAIL_TO'] = 'ops@example.test';
      expect((await cli.run('add', '--name', 'Soon', '--expires', '2027-01-20')).code).toBe(0);
      const scan = await cli.run('scan');
      expect(scan.code).toBe(1);
      const outputs = [scan, await cli.run('history'), await cli.run('doctor'), await cli.run('test-notify')];
      expect(smtp.stats.attempts).toBeGreaterThanOrEqual(2);
      for (const output of outputs) expect(`${output.stdout}\n${output.stderr}`).not.toContain(password);
      const db = new Database(cli.dbPath, { readonly: true });
      const errors = (db.prepare(`SELECT last_error FROM outbox`).all() as { last_error: string | null }[]).map((r) => r.last_error ?? '');
      db.close();
      expect(errors.join('\n')).toContain('[redacted]');
      expect(errors.join('\n')).not.toContain(password);
    });

    it('refuses a steps template that holds a configured secret (a symlink to the SMTP URL secret file)', async () => {
      const secretFile = path.join(dir, 'smtp-url');
      fs.writeFileSync(secretFile, 'smtp://mdm:s3cretpw@127.0.0.1:2525\n');
      const steps = path.join(dir, 'steps');
      fs.mkdirSync(steps);
      fs.symlinkSync(secretFile, path.join(steps, 'apple.txt'));
      cli.env['TOKENWATCH_SMTP_URL_FILE'] = secretFile;
      cli.env['TOKENWATCH_STEPS_DIR'] = steps;
      const line = await expectRefused(['scan'], /step file .*apple\.txt.* contains a configured secret/);
      expect(line).not.toContain('s3cretpw');
    });
  });

  describe('token files', () => {
    it.each([
      ['a line break', 'Acme\r\nSchools'],
      ['a NUL', 'Acme\u0000Schools'],
      ['45,000 characters', 'A'.repeat(45_000)],
      ['a line separator', 'Acme\u2028Schools'],
    ])('refuses an orgName with %s even with --name', async (_what, orgName) => {
      const file = path.join(dir, 'org.vpptoken');
      fs.writeFileSync(file, makeTokenFile({ token: 'secret', expDate: '2027-03-01T10:00:00+0100', orgName }));
      await expectRefused(['import', file, '--name', 'Named'], /org\.vpptoken: orgName/);
    });
  });

  describe('dates', () => {
    it.each([
      [['--expires', '0001-01-01']],
      [['--downloaded', '0000-01-01']],
      [['--downloaded', '9999-12-31']],
      [['--expires', '1969-12-31']],
      [['--expires', '1969-12-31T20:00:00Z']],
    ])('refuses %j with the one accepted range', async (option) => {
      await expectRefused(['add', '--name', 'Dated', ...option], /out of range \(expected a date from 1970-01-01 to 9998-12-31\)|is not a date/);
    });

    it('accepts the first and last days of the range, in both forms', async () => {
      expect((await cli.run('add', '--name', 'First', '--expires', '1970-01-02')).code).toBe(0);
      expect((await cli.run('add', '--name', 'Last', '--downloaded', '9998-12-31')).code).toBe(0);
      expect((await cli.run('add', '--name', 'Timed', '--expires', '9998-12-31T10:00:00Z')).code).toBe(0);
    });
  });

  describe('CSV files', () => {
    it('names the right line after a quoted field holding a CRLF', async () => {
      const file = path.join(dir, 'tokens.csv');
      fs.writeFileSync(file, 'name,expires,notes\r\nFirst,2027-01-01,"two\r\nlines"\r\nBad,not-a-date,\r\n');
      await expectRefused(['import', '--csv', file], /tokens\.csv line 4: expires/);
    });

    it('refuses a file that is not UTF-8, naming its line', async () => {
      const file = path.join(dir, 'latin1.csv');
      fs.writeFileSync(file, Buffer.concat([Buffer.from('name,expires\nPlain,2027-01-01\nCaf'), Buffer.from([0xe9]), Buffer.from(',2027-02-01\n')]));
      await expectRefused(['import', '--csv', file], /latin1\.csv line 3: not UTF-8 text/);
    });
  });

  describe('names and addresses', () => {
    it.each([
      [['--name', 'Ok', '--email', 'a\u0001b@x.com'], /--email/],
      [['--name', 'Line\u2028Separator'], /--name/],
      [['--name', 'Next\u0085Line'], /--name/],
      [['--name=-rf'], /--name: "-rf" starts with "-"/],
      [['--name', '😀'.repeat(201)], /is 201 characters long/],
    ])('refuses %j', async (options, names) => {
      await expectRefused(['add', ...options, '--expires', '2027-03-01'], names);
    });

    it('counts an emoji as one character: a name of 101 emoji is accepted', async () => {
      expect((await cli.run('add', '--name', '😀'.repeat(101), '--expires', '2027-03-01')).code).toBe(0);
    });
  });

  describe('time going back', () => {
    it('never sends an expired repeat older than one already decided', async () => {
      expect((await cli.run('add', '--name', 'Gone', '--expires', '2027-01-10T08:00:00+01:00')).code).toBe(0);
      const at = (days: number): string => DateTime.fromISO('2027-01-10T09:00:00', { zone: 'Europe/Paris' }).plus({ days }).toISO() ?? '';
      // Forward past the missed expired+7: expired+14 is decided.
      const forward = await cli.run('scan', '--at', at(15), '--json');
      expect((JSON.parse(forward.stdout) as { queued: { token: string; alert: string }[] }).queued.filter((q) => q.token === 'Gone')).toEqual([
        expect.objectContaining({ alert: 'expired+14' }),
      ]);
      // Then back to day 8, when expired+7 would have been due: nothing older goes out.
      const back = await cli.run('scan', '--at', at(8), '--json');
      expect((JSON.parse(back.stdout) as { queued: { token: string }[] }).queued.filter((q) => q.token === 'Gone')).toEqual([]);
    });
  });

  describe('the database file', () => {
    it('refuses a SQLite file that is not tokenwatch’s, without writing to it', async () => {
      const foreign = path.join(dir, 'other.db');
      const other = new Database(foreign);
      other.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5);`);
      other.close();
      const before = fs.readFileSync(foreign);
      cli.env['TOKENWATCH_DB'] = foreign;
      const result = await cli.run('list');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tokenwatch: database .*other\.db: not a tokenwatch database \(application_id 0, tables invoices;/);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(fs.readFileSync(foreign).equals(before)).toBe(true);
      expect(fs.existsSync(`${foreign}-wal`)).toBe(false);
    });

    it('marks its registry with its application_id', () => {
      const db = new Database(cli.dbPath, { readonly: true });
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      db.close();
    });

    it('tightens an existing registry and its -wal and -shm files to owner-only', async () => {
      // A connection held open keeps the -wal and -shm files in place while tokenwatch runs.
      const holder = new Database(cli.dbPath);
      holder.prepare('SELECT count(*) FROM tokens').get();
      try {
        for (const file of [cli.dbPath, `${cli.dbPath}-wal`, `${cli.dbPath}-shm`]) fs.chmodSync(file, 0o644);
        expect((await cli.run('list')).code).toBe(0);
        for (const file of [cli.dbPath, `${cli.dbPath}-wal`, `${cli.dbPath}-shm`]) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      } finally {
        holder.close();
      }
    });

    it('reads a config file that starts with a UTF-8 byte-order mark', async () => {
      const config = path.join(dir, 'tokenwatch.json');
      fs.writeFileSync(config, `\uFEFF${JSON.stringify({ expiredRepeatDays: 3 })}`);
      const result = await cli.run('--config', config, 'list');
      expect(result).toMatchObject({ code: 0, stderr: '' });
    });
  });
});

// The registry commands (import, import --csv, add, list, show, edit, remove, ...) through the CLI, with their output and exit codes.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { cliHarness, type CliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

const SECRET = 'S3CRET-sToken-value-never-shown';

describe('registry commands', () => {
  let dir: string;
  let cli: CliHarness;

  function tokenFile(name: string, fields: Record<string, unknown> = {}): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, makeTokenFile({ token: SECRET, expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme Main', ...fields }));
    return file;
  }

  function dbBytes(): Buffer | null {
    return fs.existsSync(cli.dbPath) ? fs.readFileSync(cli.dbPath) : null;
  }

  beforeEach(() => {
    dir = makeTempDir();
    cli = cliHarness(dir);
  });
  afterEach(() => removeDir(dir));

  describe('import', () => {
    it('adds a token named after the orgName in its file', async () => {
      const result = await cli.run('import', tokenFile('acme.vpptoken'), '--apple-id', 'vpp@acme.test', '--org-group', 'Global / Acme');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Imported "Acme Main" (expires 2027-11-24)');
      const list = JSON.parse((await cli.run('list', '--json')).stdout) as Record<string, unknown>[];
      expect(list).toEqual([
        expect.objectContaining({
          name: 'Acme Main',
          kind: 'vpp',
          appleId: 'vpp@acme.test',
          orgGroup: 'Global / Acme',
          email: null,
          slackChannel: null,
          state: 'ok',
        }),
      ]);
      expect(DateTime.fromISO(list[0]?.['expiresAt'] as string).toUTC().toISO()).toBe('2027-11-24T18:15:30.000Z');
    });

    it('takes the name, recipients, channel and thresholds from options', async () => {
      const result = await cli.run(
        'import', tokenFile('a.vpptoken'), '--name', 'Stores', '--email', 'a@x.test,b@x.test', '--slack-channel', '#mdm', '--thresholds', '90,14',
      );
      expect(result.code).toBe(0);
      const shown = JSON.parse((await cli.run('show', 'Stores', '--json')).stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({ name: 'Stores', email: ['a@x.test', 'b@x.test'], slackChannel: '#mdm', thresholds: [90, 14] });
    });

    it('refuses a file whose fingerprint is already registered, with exit code 2', async () => {
      const file = tokenFile('acme.vpptoken');
      await cli.run('import', file);
      const again = await cli.run('import', file, '--name', 'Copy');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already registered as "Acme Main"/);
    });

    it('imports several files all or none', async () => {
      const good = tokenFile('good.vpptoken', { orgName: 'Good' });
      const broken = path.join(dir, 'broken.vpptoken');
      fs.writeFileSync(broken, 'not base64 at all!!');
      const result = await cli.run('import', good, broken);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('broken.vpptoken');
      expect(JSON.parse((await cli.run('list', '--json')).stdout)).toEqual([]);
    });

    it.each([
      ['an empty file', ''],
      ['text that is not base64', '%%% not base64 %%%'],
      ['base64 of something that is not JSON', Buffer.from('hello world').toString('base64')],
      ['a file without expDate', Buffer.from(JSON.stringify({ token: SECRET, orgName: 'X' })).toString('base64')],
      ['a file with a bad expDate', Buffer.from(JSON.stringify({ token: SECRET, orgName: 'X', expDate: 'soon' })).toString('base64')],
    ])('rejects %s with one line naming the file, exit 2, registry untouched', async (_what, content) => {
      await cli.run('add', '--name', 'Existing', '--expires', '2027-05-01');
      const before = dbBytes();
      const file = path.join(dir, 'bad.vpptoken');
      fs.writeFileSync(file, content);
      const result = await cli.run('import', file);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^tokenwatch: .*bad\.vpptoken/);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).not.toContain(SECRET);
      expect(dbBytes()).toEqual(before);
    });

    it('rejects a directory and a huge file naming them', async () => {
      const folder = path.join(dir, 'folder.vpptoken');
      fs.mkdirSync(folder);
      const huge = path.join(dir, 'huge.vpptoken');
      fs.writeFileSync(huge, Buffer.alloc(10 * 1024 * 1024, 65));
      for (const file of [folder, huge]) {
        const result = await cli.run('import', file);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(path.basename(file));
      }
    });

    it('never stores or prints the secret token value', async () => {
      const file = tokenFile('acme.vpptoken');
      const outputs = [
        await cli.run('import', file),
        await cli.run('list', '--json'),
        await cli.run('show', 'Acme Main', '--json'),
        await cli.run('show', 'Acme Main'),
      ];
      for (const output of outputs) expect(output.stdout + output.stderr).not.toContain(SECRET);
      for (const name of fs.readdirSync(dir).filter((f) => f.startsWith('tokenwatch.db'))) {
        expect(fs.readFileSync(path.join(dir, name)).includes(SECRET)).toBe(false);
      }
    });
  });

  describe('import --csv', () => {
    it('adds every row of a CSV file', async () => {
      const csv = path.join(dir, 'tokens.csv');
      fs.writeFileSync(csv, 'name,expires,apple_id,org_group,email,slack_channel,kind\nA,2027-03-01,a@x.test,Global / A,ops@x.test,#a,vpp\nB,2027-02-01,,,,,\n');
      const result = await cli.run('import', '--csv', csv);
      expect(result).toMatchObject({ code: 0, stdout: 'Imported 2 tokens from ' + csv + '.' });
      const list = JSON.parse((await cli.run('list', '--json')).stdout) as { name: string; orgGroup: string | null }[];
      expect(list.map((t) => t.name)).toEqual(['B', 'A']);
      expect(list[1]?.orgGroup).toBe('Global / A');
    });

    it('rejects the whole file when one row is bad, naming its line', async () => {
      const csv = path.join(dir, 'tokens.csv');
      fs.writeFileSync(csv, 'name,expires\nA,2027-03-01\nB,2027-02-30\nC,2027-04-01\n');
      const result = await cli.run('import', '--csv', csv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/tokens\.csv line 3/);
      expect(JSON.parse((await cli.run('list', '--json')).stdout)).toEqual([]);
    });
  });

  describe('add', () => {
    it('takes an expiry date as midnight in the configured zone', async () => {
      await cli.run('add', '--name', 'Manual', '--expires', '2027-03-01');
      const [token] = JSON.parse((await cli.run('list', '--json')).stdout) as { expiresAt: string; daysLeft: number }[];
      expect(token?.expiresAt).toBe('2027-03-01T00:00:00.000+01:00');
      expect(token?.daysLeft).toBe(59);
    });

    it('sets the expiry 12 months after the download date', async () => {
      await cli.run('add', '--name', 'Downloaded', '--downloaded', '2026-06-15');
      const [token] = JSON.parse((await cli.run('list', '--json')).stdout) as { expiresAt: string }[];
      expect(token?.expiresAt).toBe('2027-06-15T00:00:00.000+02:00');
    });

    it('needs exactly one of --expires and --downloaded', async () => {
      expect((await cli.run('add', '--name', 'X')).code).toBe(2);
      expect((await cli.run('add', '--name', 'X', '--expires', '2027-01-01', '--downloaded', '2026-01-01')).code).toBe(2);
    });

    it.each([
      ['--expires', '2027-13-01'],
      ['--expires', 'next tuesday'],
      ['--thresholds', '60,0'],
      ['--email', 'not an address'],
      ['--kind', 'pkcs12'],
    ])('rejects %s %s with one line naming the option, exit 2', async (option, value) => {
      const args = ['add', '--name', 'X', '--expires', '2027-05-01', option, value];
      const result = await cli.run(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(option);
      expect(result.stderr.split('\n')).toHaveLength(1);
    });
  });

  describe('list', () => {
    it('shows a table sorted by expiry with days left and state', async () => {
      await cli.run('add', '--name', 'Later', '--expires', '2027-12-01');
      await cli.run('add', '--name', 'Soon', '--expires', '2027-01-05');
      await cli.run('add', '--name', 'Gone', '--expires', '2026-12-01');
      await cli.run('add', '--name', 'Month', '--expires', '2027-02-01');
      const { stdout } = await cli.run('list');
      const lines = stdout.split('\n');
      expect(lines[0]).toMatch(/^NAME\s+KIND\s+EXPIRES \(Europe\/Paris\)\s+DAYS\s+STATE/);
      expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['Gone', 'Soon', 'Month', 'Later']);
      expect(stdout).toMatch(/Gone\s+vpp\s+2026-12-01\s+-31\s+expired/);
      expect(stdout).toMatch(/Soon\s+vpp\s+2027-01-05\s+4\s+critical/);
      expect(stdout).toMatch(/Month\s+vpp\s+2027-02-01\s+31\s+warning/);
      expect(stdout).toMatch(/Later\s+vpp\s+2027-12-01\s+334\s+ok/);
    });

    it('says how to add a token when the registry is empty', async () => {
      expect((await cli.run('list')).stdout).toContain('No tokens registered');
    });
  });

  describe('show, edit and remove', () => {
    beforeEach(async () => {
      await cli.run('add', '--name', 'Acme', '--expires', '2027-05-01');
    });

    it('edits fields and clears them again', async () => {
      expect((await cli.run('edit', 'Acme', '--apple-id', 'vpp@acme.test', '--notes', 'hi')).code).toBe(0);
      let shown = JSON.parse((await cli.run('show', 'Acme', '--json')).stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({ appleId: 'vpp@acme.test', notes: 'hi' });
      await cli.run('edit', 'Acme', '--clear', 'apple-id', 'notes');
      shown = JSON.parse((await cli.run('show', 'Acme', '--json')).stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({ appleId: null, notes: null });
    });

    it('renames a token', async () => {
      await cli.run('edit', 'Acme', '--rename', 'Acme EU');
      expect((await cli.run('show', 'Acme EU')).code).toBe(0);
      expect((await cli.run('show', 'Acme')).code).toBe(2);
    });

    it('shows the token with its history', async () => {
      await cli.run('edit', 'Acme', '--org-group', 'Global / Acme');
      const { stdout } = await cli.run('show', 'Acme');
      expect(stdout).toMatch(/Organization Group:\s+Global \/ Acme/);
      expect(stdout).toMatch(/added[\s\S]*edited/);
    });

    it('names the configured defaults a token without its own recipients and thresholds takes, or none', async () => {
      cli.env['TOKENWATCH_MAIL_TO'] = 'mdm@acme.test,it@acme.test';
      cli.env['TOKENWATCH_THRESHOLDS'] = '45,10';
      const shown = (await cli.run('show', 'Acme')).stdout;
      expect(shown).toMatch(/^Email: +\(default: mdm@acme\.test, it@acme\.test\)$/m);
      expect(shown).toMatch(/^Thresholds: +\(default: 45, 10\)$/m);
      expect(shown).toMatch(/^Slack channel: +\(default: none\)$/m);
      expect(shown).toMatch(/^Escalate email: +\(default: none\)$/m);
      await cli.run('edit', 'Acme', '--email', 'owner@acme.test', '--thresholds', '20');
      const own = (await cli.run('show', 'Acme')).stdout;
      expect(own).toMatch(/^Email: +owner@acme\.test$/m);
      expect(own).toMatch(/^Thresholds: +20$/m);
    });

    it('removes a token', async () => {
      expect((await cli.run('remove', 'Acme')).code).toBe(0);
      expect(JSON.parse((await cli.run('list', '--json')).stdout)).toEqual([]);
    });

    it.each([['show'], ['remove'], ['renew'], ['mute'], ['unmute']])(
      '%s of an unknown token name fails with exit 2 naming it',
      async (command) => {
        const extra = command === 'renew' ? ['--expires', '2028-01-01'] : [];
        const result = await cli.run(command, 'Nobody', ...extra);
        expect(result.code).toBe(2);
        expect(result.stderr).toBe('tokenwatch: unknown token "Nobody" (expected a name shown by "tokenwatch list")');
      },
    );
  });

  describe('renew', () => {
    it('records a new expiry from a date', async () => {
      await cli.run('add', '--name', 'Acme', '--expires', '2027-02-01');
      const result = await cli.run('renew', 'Acme', '--expires', '2028-02-01');
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('Renewed "Acme": next expiry 2028-02-01 (was 2027-02-01).');
      const shown = JSON.parse((await cli.run('show', 'Acme', '--json')).stdout) as { history: { action: string }[] };
      expect(shown.history.map((h) => h.action)).toEqual(['added', 'renewed']);
    });

    it('records a new expiry from a new token file', async () => {
      await cli.run('import', tokenFile('old.vpptoken', { expDate: '2027-02-01T10:00:00-0800' }));
      const result = await cli.run('renew', 'Acme Main', '--file', tokenFile('new.vpptoken', { expDate: '2028-02-01T10:00:00-0800', token: 'other' }));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('next expiry 2028-02-01');
    });

    it('refuses a file downloaded for another organization unless forced, and warns loudly when forced', async () => {
      await cli.run('import', tokenFile('old.vpptoken', { expDate: '2027-02-01T10:00:00-0800' }));
      const other = tokenFile('other.vpptoken', { orgName: 'Someone Else', expDate: '2028-02-01T10:00:00-0800', token: 'x' });
      const refused = await cli.run('renew', 'Acme Main', '--file', other);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/orgName "Someone Else" differs from "Acme Main".*different Apple account.*--force/);
      const forced = await cli.run('renew', 'Acme Main', '--file', other, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stderr).toMatch(/WARNING/);
    });

    it('refuses an expiry that is already past', async () => {
      await cli.run('add', '--name', 'Acme', '--expires', '2027-02-01');
      expect((await cli.run('renew', 'Acme', '--expires', '2026-01-01')).code).toBe(2);
    });
  });

  describe('mute and unmute', () => {
    it('lists a muted token as such until it is unmuted', async () => {
      await cli.run('add', '--name', 'Acme', '--expires', '2027-02-01');
      await cli.run('mute', 'Acme', '--until', '2027-01-15');
      expect((await cli.run('list')).stdout).toMatch(/Acme.*\(muted\)/);
      await cli.run('unmute', 'Acme');
      expect((await cli.run('list')).stdout).not.toContain('muted');
    });
  });

  describe('usage errors', () => {
    it('an unknown command or option exits 2', async () => {
      expect((await cli.run('frobnicate')).code).toBe(2);
      expect((await cli.run('list', '--colour')).code).toBe(2);
    });

    it('a bad config value stops the command with one line per problem naming the key, exit 2', async () => {
      cli.env['TOKENWATCH_TZ'] = 'Mars/Olympus';
      cli.env['TOKENWATCH_THRESHOLDS'] = '60,x';
      const result = await cli.run('list');
      expect(result.code).toBe(2);
      const lines = result.stderr.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/TOKENWATCH_TZ: "Mars\/Olympus" is not an IANA time zone/);
      expect(lines[1]).toMatch(/TOKENWATCH_THRESHOLDS/);
      expect(fs.existsSync(cli.dbPath)).toBe(false);
    });

    it('reads the config file named by --config, and refuses a bad value in it naming the file and key', async () => {
      const file = path.join(dir, 'site.json');
      fs.writeFileSync(file, JSON.stringify({ timezone: 'America/New_York', thresholds: '90,10' }));
      delete cli.env['TOKENWATCH_TZ'];
      await cli.run('--config', file, 'add', '--name', 'NY', '--expires', '2027-03-01');
      const [token] = JSON.parse((await cli.run('--config', file, 'list', '--json')).stdout) as { expiresAt: string; state: string }[];
      expect(token?.expiresAt).toBe('2027-03-01T00:00:00.000-05:00');
      expect(token?.state).toBe('warning');
      fs.writeFileSync(file, JSON.stringify({ schedule: 'whenever' }));
      const bad = await cli.run('--config', file, 'list');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/schedule.*"whenever".*cron/);
      expect(bad.stderr.split('\n')).toHaveLength(1);
      const missing = await cli.run('--config', path.join(dir, 'nope.json'), 'list');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('nope.json');
    });
  });
});

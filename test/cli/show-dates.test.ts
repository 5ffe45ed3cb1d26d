// `show` tells the download date apart from the date a token was added; a renewal keeps "Added" and its history line
// gives the old and new expiry. Also the migration that separates the two dates in an existing registry.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { openDatabase } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrations';
import { TokenRepository } from '../../src/store/token-repository';
import { makeAdeToken, makeMdmServerKey } from '../support/apple-files';
import { cliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';

const field = (stdout: string, label: string): string | undefined =>
  new RegExp(`^${label}:\\s+(.*)$`, 'm').exec(stdout)?.[1];

describe('show: dates of a token', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('prints the download date and the date added separately; a renewal keeps "Added" and its history line names the old and new expiry', async () => {
    const cli = cliHarness(dir);
    cli.now = DateTime.fromISO('2026-02-03T11:20', { zone: 'Europe/Paris' });
    expect((await cli.run('add', '--name', 'Acme Corp', '--downloaded', '2026-01-15')).stdout).toBe('Added "Acme Corp" (expires 2027-01-15).');
    const shown = await cli.run('show', 'Acme Corp');
    expect(field(shown.stdout, 'Downloaded')).toBe('2026-01-15');
    expect(field(shown.stdout, 'Added')).toBe('2026-02-03 11:20');

    cli.now = DateTime.fromISO('2026-12-20T09:00', { zone: 'Europe/Paris' });
    expect((await cli.run('renew', 'Acme Corp', '--expires', '2028-01-14')).code).toBe(0);
    const after = await cli.run('show', 'Acme Corp');
    expect(field(after.stdout, 'Added')).toBe('2026-02-03 11:20');
    expect(field(after.stdout, 'Downloaded')).toBe('(unknown)');
    expect(after.stdout.split('History:\n')[1]?.split('\n')).toEqual([
      '  2026-02-03 11:20  added: expires 2027-01-15',
      '  2026-12-20 09:00  renewed: 2027-01-15 → 2028-01-14',
    ]);
    const json = JSON.parse((await cli.run('show', 'Acme Corp', '--json')).stdout) as { addedAt: string; downloadedAt: string | null };
    expect(json).toMatchObject({ addedAt: '2026-02-03T11:20:00.000+01:00', downloadedAt: null });
  });

  it('shows no download date for a token imported from its file, and the day it was added', async () => {
    const cli = cliHarness(dir);
    expect((await cli.run('add', '--name', 'Plain', '--expires', '2027-06-01')).code).toBe(0);
    const shown = await cli.run('show', 'Plain');
    expect(field(shown.stdout, 'Downloaded')).toBe('(unknown)');
    expect(field(shown.stdout, 'Added')).toBe('2027-01-01 10:00');
  });

  it('takes an ADE server token\'s download date from its file name, on import and on renewal', async () => {
    const cli = cliHarness(dir);
    cli.now = DateTime.fromISO('2026-07-02T09:00', { zone: 'Europe/Paris' });
    const write = (name: string, expiry: string): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, makeAdeToken(makeMdmServerKey(), expiry));
      return file;
    };
    expect((await cli.run('import', write('Acme_MDM_Token_2026-07-01T22-18-53Z_smime.p7m', '2027-07-01T22:18:53Z'))).code).toBe(0);
    expect(field((await cli.run('show', 'Acme_MDM')).stdout, 'Downloaded')).toBe('2026-07-02');
    cli.now = DateTime.fromISO('2027-06-20T09:00', { zone: 'Europe/Paris' });
    expect((await cli.run('renew', 'Acme_MDM', '--file', write('Acme_MDM_Token_2027-06-19T08-00-00Z_smime.p7m', '2028-06-19T08:00:00Z'))).code).toBe(0);
    const renewed = await cli.run('show', 'Acme_MDM');
    expect(field(renewed.stdout, 'Downloaded')).toBe('2027-06-19');
    expect(field(renewed.stdout, 'Added')).toBe('2026-07-02 09:00');
  });
});

describe('the migration that separates the download date from the date added', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('keeps a download date given at registration, and "Added" becomes the registration date again after renewals', () => {
    const file = path.join(dir, 'tokenwatch.db');
    // The registry as the build before this migration left it.
    const separating = MIGRATIONS.find((m) => m.sql.includes('ADD COLUMN downloaded_at'))?.version ?? 0;
    const old = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < separating) });
    const insert = old.prepare(
      `INSERT INTO tokens (name, kind, expires_at, added_at, created_at, updated_at) VALUES (?, 'vpp', ?, ?, ?, ?)`,
    );
    const ms = (iso: string): number => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
    // Registered with --downloaded (added_at held the earlier download date) and one renewed since (added_at moved on).
    insert.run('Downloaded', ms('2027-01-15T00:00'), ms('2026-01-15T00:00'), ms('2026-02-03T10:00'), ms('2026-02-03T10:00'));
    insert.run('Renewed', ms('2028-01-14T00:00'), ms('2026-12-20T08:00'), ms('2026-02-03T10:00'), ms('2026-12-20T08:00'));
    old.close();

    const db = openDatabase(file);
    const tokens = new TokenRepository(db);
    const downloaded = tokens.getByName('Downloaded');
    expect(downloaded.downloadedAt?.toISO()).toBe('2026-01-15T00:00:00.000Z');
    expect(downloaded.addedAt.toISO()).toBe('2026-02-03T10:00:00.000Z');
    const renewed = tokens.getByName('Renewed');
    expect(renewed.downloadedAt).toBeNull();
    expect(renewed.addedAt.toISO()).toBe('2026-02-03T10:00:00.000Z');
    db.close();
  });
});

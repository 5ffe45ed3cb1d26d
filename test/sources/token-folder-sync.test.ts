// Covers `tokenwatch sync` with a token folder: registration, renewal, broken and vanished files, a read-only folder,
// earlier expiries, tokens imported by hand, and the secret never reaching the database.
import fs from 'node:fs';
import path from 'node:path';
import { cliHarness, type CliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

const SECRET = 'folder-sToken-secret-value-0042';

describe('tokenwatch sync with a token folder', () => {
  let dir: string;
  let folder: string;
  let cli: CliHarness;

  function dropFile(name: string, orgName: string, expDate: string, secret = SECRET): string {
    const file = path.join(folder, name);
    fs.writeFileSync(file, makeTokenFile({ token: secret, expDate, orgName }));
    return file;
  }

  async function list(): Promise<{ name: string; expiresAt: string }[]> {
    return JSON.parse((await cli.run('list', '--json')).stdout) as { name: string; expiresAt: string }[];
  }

  beforeEach(() => {
    dir = makeTempDir();
    folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    cli = cliHarness(dir, { TOKENWATCH_TOKEN_DIR: folder });
  });
  afterEach(() => {
    fs.chmodSync(folder, 0o700);
    removeDir(dir);
  });

  it('registers every token file, named as import names it, and says nothing changed the second time', async () => {
    dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    dropFile('stores.vpptoken', 'Acme Stores', '2027-06-01T10:00:00+0000');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a token');

    const first = await cli.run('sync');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('folder: added "Acme Main" (expires 2027-11-24) from acme.vpptoken');
    expect(first.stdout).toContain('folder: added "Acme Stores" (expires 2027-06-01) from stores.vpptoken');
    expect(first.stdout).toContain('folder: 2 added, 0 renewed, 0 state changed, 0 unchanged, 0 gone from the source');
    expect((await list()).map((t) => t.name).sort()).toEqual(['Acme Main', 'Acme Stores']);

    const second = await cli.run('sync');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('folder: 0 added, 0 renewed, 0 state changed, 2 unchanged, 0 gone from the source');
    expect(await list()).toHaveLength(2);
  });

  it('records a new file of a registered token with a later expiry as a renewal, and the next scan confirms it', async () => {
    dropFile('acme-2026.vpptoken', 'Acme Main', '2027-01-20T10:00:00+0000');
    expect((await cli.run('sync')).code).toBe(0);
    dropFile('acme-2027.vpptoken', 'Acme Main', '2028-01-18T10:00:00+0000', 'another-secret-of-the-new-file');

    const renewal = await cli.run('sync');
    expect(renewal.code).toBe(0);
    expect(renewal.stdout).toContain('folder: renewed "Acme Main": expires 2028-01-18 (acme-2027.vpptoken)');
    // The old file still in the folder is last year's: superseded, not an "earlier expiry".
    expect(renewal.stdout).not.toContain('earlier');
    expect(renewal.stdout).toContain('folder: 0 added, 1 renewed, 0 state changed, 1 unchanged, 0 gone from the source');
    const [token] = await list();
    expect(token?.expiresAt.slice(0, 10)).toBe('2028-01-18');

    const scan = await cli.run('scan');
    expect(scan.stdout).toContain('Queued renewed for "Acme Main"');
    expect((await cli.run('sync')).stdout).toContain('0 renewed, 0 state changed, 2 unchanged');
  });

  it('on a first sync of last year\'s and this year\'s file, adds one token with the later expiry', async () => {
    dropFile('old.vpptoken', 'Acme Main', '2027-01-20T10:00:00+0000', 'old-secret-value-1');
    dropFile('new.vpptoken', 'Acme Main', '2028-01-18T10:00:00+0000', 'new-secret-value-2');
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 added, 0 renewed');
    expect(await list()).toEqual([expect.objectContaining({ name: 'Acme Main' })]);
    expect((await list())[0]?.expiresAt.slice(0, 10)).toBe('2028-01-18');
  });

  it('reports a broken file by name, skips it, and still registers the others', async () => {
    dropFile('good.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    fs.writeFileSync(path.join(folder, 'broken.vpptoken'), 'this is not base64 !!!');
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/folder: broken\.vpptoken: not base64 .*\(skipped\)/);
    expect(result.stdout).toContain('1 added');
    expect(result.stdout).toContain('1 skipped');
    expect((await list()).map((t) => t.name)).toEqual(['Acme Main']);
  });

  it('keeps a token whose file left the folder and says so, once', async () => {
    const file = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    await cli.run('sync');
    fs.rmSync(file);
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('folder: "Acme Main": acme.vpptoken is gone from folder; the token stays registered');
    expect(result.stdout).toContain('1 gone from the source');
    expect(await list()).toHaveLength(1);
    expect((await cli.run('sync')).stdout).toContain('0 gone from the source');
  });

  it('reads a read-only folder and writes nothing into it', async () => {
    dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    const before = fs.readdirSync(folder).map((name) => [name, fs.statSync(path.join(folder, name)).mtimeMs]);
    fs.chmodSync(folder, 0o500);
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 added');
    expect(fs.readdirSync(folder).map((name) => [name, fs.statSync(path.join(folder, name)).mtimeMs])).toEqual(before);
  });

  it('never stores the secret inside a .vpptoken', async () => {
    dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    await cli.run('sync');
    const bytes = Buffer.concat(
      fs.readdirSync(dir).filter((name) => name.startsWith('tokenwatch.db')).map((name) => fs.readFileSync(path.join(dir, name))),
    );
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from('Acme Main'))).toBe(true);
  });

  it('reports a file with an earlier expiry than the registered one and does not apply it', async () => {
    dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    await cli.run('sync');
    dropFile('backup.vpptoken', 'Acme Main', '2027-03-01T10:00:00+0000', 'backup-secret-value');
    const result = await cli.run('sync');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"Acme Main": backup.vpptoken says it expires 2027-03-01, earlier than the registered 2027-11-24: not applied');
    expect((await list())[0]?.expiresAt.slice(0, 10)).toBe('2027-11-24');
  });

  it('follows a token imported by hand instead of registering it twice', async () => {
    const file = dropFile('acme.vpptoken', 'Acme Main', '2027-11-24T10:15:30-0800');
    expect((await cli.run('import', file, '--name', 'Acme (by hand)', '--apple-id', 'vpp@acme.test')).code).toBe(0);
    const result = await cli.run('sync');
    expect(result.stdout).toContain('0 added, 0 renewed, 0 state changed, 1 unchanged');
    const tokens = JSON.parse((await cli.run('list', '--json')).stdout) as { name: string; appleId: string }[];
    expect(tokens).toEqual([expect.objectContaining({ name: 'Acme (by hand)', appleId: 'vpp@acme.test' })]);
  });

  it('fails with exit code 1 and says why when the folder cannot be read', async () => {
    cli.env['TOKENWATCH_TOKEN_DIR'] = path.join(dir, 'missing');
    const result = await cli.run('sync');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^folder: failed: token folder .*missing: cannot read \(ENOENT/m);
  });

  it('refuses to run with no source configured (exit code 2)', async () => {
    delete cli.env['TOKENWATCH_TOKEN_DIR'];
    const result = await cli.run('sync');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sync: no source configured (expected TOKENWATCH_TOKEN_DIR');
  });
});

describe('tokenwatch doctor with a token folder', () => {
  it('checks the folder and shows its last sync, and fails when it cannot be read', async () => {
    const dir = makeTempDir();
    try {
      const folder = path.join(dir, 'tokens');
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'a.vpptoken'), makeTokenFile({ token: SECRET, expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme' }));
      const cli = cliHarness(dir, { TOKENWATCH_TOKEN_DIR: folder });
      expect((await cli.run('doctor')).stdout).toMatch(/^source folder ok {2}.*tokens: 1 token file; never synced$/m);
      await cli.run('sync');
      expect((await cli.run('doctor')).stdout).toMatch(/^source folder ok {2}.*tokens: 1 token file; last sync 2027-01-01T10:00:00\.000\+01:00$/m);
      fs.rmSync(folder, { recursive: true });
      const failed = await cli.run('doctor');
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^source folder failed {2}token folder .*tokens: cannot read \(ENOENT.*; last sync 2027-01-01/m);
    } finally {
      removeDir(dir);
    }
  });
});

// `tokenwatch --version`, and `import --help`: it lists every CSV column the parser accepts, as docs/ does.
import fs from 'node:fs';
import path from 'node:path';
import { CSV_COLUMNS } from '../../src/domain/token-csv';
import { cliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

/** The column names of the table under "## CSV columns" in docs/import.md. */
function documentedColumns(): string[] {
  const text = fs.readFileSync(path.join(root, 'docs/import.md'), 'utf8');
  const section = text.split(/^## CSV columns$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1] as string);
}

describe('help and version', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('prints the package version with --version and exits 0', async () => {
    const cli = cliHarness(dir);
    for (const flag of ['--version', '-V']) {
      expect(await cli.run(flag)).toEqual({ code: 0, stdout: pkg.version, stderr: '' });
    }
  });

  it('lists every CSV column the parser accepts in import --help', async () => {
    const help = await cliHarness(dir).run('import', '--help');
    expect(help.code).toBe(0);
    const listed = help.stdout.split(/^CSV columns.*$/m)[1] ?? '';
    expect([...listed.matchAll(/^ {2}([a-z_]+) /gm)].map((match) => match[1])).toEqual([...CSV_COLUMNS]);
    expect(help.stdout).toContain(`--csv <file>`);
    expect(help.stdout).toContain(CSV_COLUMNS.join(','));
  });

  it('documents in docs/import.md exactly the CSV columns the parser accepts', () => {
    expect(documentedColumns()).toEqual([...CSV_COLUMNS]);
  });

  it('shows every CSV header line in docs/ with exactly the columns the parser accepts', () => {
    const docs = fs.readdirSync(path.join(root, 'docs')).filter((file) => file.endsWith('.md'));
    const headers = docs.flatMap((file) =>
      [...fs.readFileSync(path.join(root, 'docs', file), 'utf8').matchAll(/^[#\s]*(name,expires\S*)/gm)].map((m) => ({ file, header: m[1] })),
    );
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const { file, header } of headers) expect({ file, header }).toEqual({ file, header: CSV_COLUMNS.join(',') });
  });

  it('accepts the example CSV of docs/import.md', async () => {
    const text = fs.readFileSync(path.join(root, 'docs/import.md'), 'utf8');
    const csv = /```csv\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    fs.writeFileSync(path.join(dir, 'tokens.csv'), csv);
    const cli = cliHarness(dir);
    expect(await cli.run('import', '--csv', path.join(dir, 'tokens.csv'))).toMatchObject({ code: 0, stdout: `Imported 2 tokens from ${path.join(dir, 'tokens.csv')}.` });
  });
});

// A token's own MDM console page (`--console-url` on add, import and edit, CSV column `console_url`): validated as an
// https address (exit 2, one line, registry untouched), shown by `show`, and linked from that token's reminders and
// digests instead of TOKENWATCH_CONSOLE_URL; run through the CLI on a real database, messages read from the preview.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { cliHarness, type CliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';

const GLOBAL = 'https://uem.acme.example/AirWatch';
const OWN = 'https://uem-eu.acme.example/AirWatch/#/VPP';

interface Preview {
  readonly html: string;
  readonly slack: string;
}

describe("a token's own console page", () => {
  let dir: string;
  let cli: CliHarness;
  beforeEach(() => {
    dir = makeTempDir();
    cli = cliHarness(dir, { TOKENWATCH_CONSOLE_URL: GLOBAL });
  });
  afterEach(() => removeDir(dir));

  async function names(): Promise<string[]> {
    return (JSON.parse((await cli.run('list', '--json')).stdout) as { name: string }[]).map((t) => t.name);
  }

  /** The messages the preview channel wrote, by the token name in their file name. */
  async function previews(): Promise<Map<string, Preview>> {
    const folder = cli.env['TOKENWATCH_PREVIEW_DIR'] ?? '';
    const found = new Map<string, Preview>();
    for (const eml of fs.readdirSync(folder).filter((file) => file.endsWith('.eml'))) {
      const mail = await simpleParser(fs.readFileSync(path.join(folder, eml)));
      const slack = fs.readFileSync(path.join(folder, eml.replace(/\.eml$/, '.slack.json')), 'utf8');
      found.set(eml, { html: typeof mail.html === 'string' ? mail.html : '', slack });
    }
    return found;
  }

  /** The console buttons of a message: [label, address] of each `Open the console…` link in its HTML. */
  function consoleButtons(html: string): string[][] {
    return [...html.matchAll(/<a class="tw-button" href="([^"]+)"[^>]*>(Open the console[^<]*)<\/a>/g)].map((m) => [m[2] ?? '', m[1] ?? '']);
  }

  it("links a token's reminder to its own page and the others' to TOKENWATCH_CONSOLE_URL", async () => {
    expect(await cli.run('add', '--name', 'Acme EU', '--expires', '2027-01-31', '--console-url', OWN)).toMatchObject({ code: 0, stderr: '' });
    expect((await cli.run('add', '--name', 'Acme US', '--expires', '2027-01-31')).code).toBe(0);
    expect((await cli.run('scan')).code).toBe(0);
    const messages = [...(await previews())];
    const eu = messages.find(([file]) => file.includes('acme-eu'))?.[1];
    const us = messages.find(([file]) => file.includes('acme-us'))?.[1];
    expect(consoleButtons(eu?.html ?? '')).toEqual([['Open the console', OWN]]);
    expect(eu?.slack).toContain(`"url": "${OWN}"`);
    expect(eu?.slack).not.toContain(GLOBAL);
    expect(consoleButtons(us?.html ?? '')).toEqual([['Open the console', GLOBAL]]);
  });

  it('gives a digest one console button per page, named by its host, when its tokens have different pages', async () => {
    cli.env['TOKENWATCH_DIGEST_MIN'] = '1';
    expect((await cli.run('add', '--name', 'Acme EU', '--expires', '2027-01-20', '--console-url', OWN)).code).toBe(0);
    expect((await cli.run('add', '--name', 'Acme US', '--expires', '2027-01-25')).code).toBe(0);
    expect((await cli.run('scan')).code).toBe(0);
    const messages = [...(await previews()).values()];
    expect(messages).toHaveLength(1);
    expect(consoleButtons(messages[0]?.html ?? '')).toEqual([
      ['Open the console at uem-eu.acme.example', OWN],
      ['Open the console at uem.acme.example', GLOBAL],
    ]);
  });

  it('is set and cleared by edit, shown by show and list --json, and read from the CSV column console_url', async () => {
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, `name,expires,console_url\nAcme EU,2027-03-01,${OWN}\nAcme US,2027-03-01,\n`);
    expect((await cli.run('import', '--csv', csv)).code).toBe(0);
    const listed = JSON.parse((await cli.run('list', '--json')).stdout) as { name: string; consoleUrl: string | null }[];
    expect(listed.map((t) => [t.name, t.consoleUrl])).toEqual([['Acme EU', OWN], ['Acme US', null]]);
    expect((await cli.run('show', 'Acme EU')).stdout).toMatch(new RegExp(`^Console page: +${OWN.replace(/[.#/]/g, '\\$&')}$`, 'm'));
    expect((await cli.run('edit', 'Acme US', '--console-url', 'https://jamf.acme.example/vppAccounts.html')).code).toBe(0);
    expect((await cli.run('edit', 'Acme EU', '--clear', 'console-url')).code).toBe(0);
    const edited = JSON.parse((await cli.run('list', '--json')).stdout) as { name: string; consoleUrl: string | null }[];
    expect(edited.map((t) => [t.name, t.consoleUrl])).toEqual([['Acme EU', null], ['Acme US', 'https://jamf.acme.example/vppAccounts.html']]);
    expect((await cli.run('show', 'Acme EU')).stdout).toMatch(/^Console page: +\(default: TOKENWATCH_CONSOLE_URL\)$/m);
  });

  it.each([
    ['http://uem.acme.example/AirWatch', /^tokenwatch: --console-url: "http:\/\/uem\.acme\.example\/AirWatch" is not an https URL \(expected an https address/],
    ['javascript:alert(1)', /^tokenwatch: --console-url: "javascript:alert\(1\)" is not an https URL/],
    ['uem.acme.example', /^tokenwatch: --console-url: "uem\.acme\.example" is not a URL \(expected an https address/],
    ['https://admin:hunter2@uem.acme.example/', /^tokenwatch: --console-url: the address carries a user name or password \(expected an https address/],
    ['https://uem.acme.example/\nAirWatch', /^tokenwatch: --console-url: contains a line break or control character/],
  ])('refuses %j on add and edit with one line and exit 2, the registry untouched', async (url, message) => {
    const added = await cli.run('add', '--name', 'Acme', '--expires', '2027-03-01', '--console-url', url);
    expect(added.code).toBe(2);
    expect(added.stderr.split('\n')).toHaveLength(1);
    expect(added.stderr).toMatch(message);
    expect(added.stderr).not.toContain('hunter2');
    expect(await names()).toEqual([]);
    expect((await cli.run('add', '--name', 'Acme', '--expires', '2027-03-01')).code).toBe(0);
    const edited = await cli.run('edit', 'Acme', '--console-url', url);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(message);
    expect((JSON.parse((await cli.run('list', '--json')).stdout) as { consoleUrl: string | null }[])[0]?.consoleUrl).toBeNull();
  });

  it('refuses a CSV row with a console_url that is not https, naming the line, and imports none of the rows', async () => {
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, `name,expires,console_url\nAcme EU,2027-03-01,${OWN}\nAcme US,2027-03-01,http://uem.acme.example/\n`);
    const result = await cli.run('import', '--csv', csv);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`tokenwatch: ${csv} line 3: console_url: "http://uem.acme.example/" is not an https URL (expected an https address such as https://uem.example.com/AirWatch)`);
    expect(await names()).toEqual([]);
  });
});

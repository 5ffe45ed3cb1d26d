// Covers a whole year of an APNs push certificate and an ADE server token, for each of the four MDM choices: import
// from a real file, the 60-, 30- and 7-day reminders each carrying that kind's words and that console's steps (and no
// other kind's or console's), then renew from a new file and the confirmation.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { KINDS, MDM_NAMES, type MdmName } from '../../src/domain/kinds';
import { makeAdeToken, makeMdmServerKey, makePushCertificate } from '../support/apple-files';
import { cliHarness, type CliHarness } from '../support/cli';
import { makeTempDir, removeDir } from '../support/temp-dir';

const TOPIC = 'com.apple.mgmt.External.0c4d9e2a-7b1f-4a3c-8e5d-6f2a1b3c4d5e';

/** A phrase of a console step that no other step of any kind or console has: the part after its last menu arrow. */
function consolePhrase(kind: 'apns' | 'ade', mdm: MdmName): string {
  const first = KINDS[kind].steps.console[mdm].split('\n')[0] ?? '';
  return (first.split(' > ').pop() ?? first).replace(/[.:]$/, '').slice(0, 60);
}

type Cycle = { kind: 'apns' | 'ade'; mdm: MdmName };
const CYCLES: Cycle[] = (['apns', 'ade'] as const).flatMap((kind) => MDM_NAMES.map((mdm) => ({ kind, mdm })));

describe('a credential through its year', () => {
  let dir: string;
  let cli: CliHarness;
  beforeEach(() => {
    dir = makeTempDir();
    cli = cliHarness(dir);
  });
  afterEach(() => removeDir(dir));

  /** The Slack payload of the newest preview, as text. */
  function newestPreview(): string {
    const previewDir = cli.env['TOKENWATCH_PREVIEW_DIR'] ?? '';
    const files = fs.readdirSync(previewDir).filter((name) => name.endsWith('.slack.json')).sort();
    const newest = files[files.length - 1];
    return newest === undefined ? '' : fs.readFileSync(path.join(previewDir, newest), 'utf8');
  }

  function importFile(kind: 'apns' | 'ade', year: number): string {
    if (kind === 'apns') {
      const file = path.join(dir, `push-${year}.pem`);
      fs.writeFileSync(file, makePushCertificate({ topic: TOPIC, notBefore: `${year}-06-01T12:00:00Z`, notAfter: `${year + 1}-06-01T12:00:00Z` }).certPem);
      return file;
    }
    const file = path.join(dir, `Acme_MDM_Token_${year}-06-01T12-00-00Z_smime.p7m`);
    fs.writeFileSync(file, makeAdeToken(makeMdmServerKey(), `${year + 1}-06-01T12:00:00Z`));
    return file;
  }

  it.each(CYCLES)('$kind with $mdm: 60, 30 and 7 days with its own steps, then renewed', async ({ kind, mdm }) => {
    cli.now = DateTime.fromISO('2026-06-02T09:00:00', { zone: 'Europe/Paris' });
    const imported = await cli.run('import', importFile(kind, 2026), '--name', 'Acme credential', '--mdm', mdm, '--apple-id', 'admin@acme.example');
    expect(imported.code).toBe(0);
    const spec = KINDS[kind];
    const others = CYCLES.filter((other) => other.kind !== kind || other.mdm !== mdm).map((other) => consolePhrase(other.kind, other.mdm));
    for (const days of [60, 30, 7]) {
      cli.now = DateTime.fromISO('2027-06-01T09:00:00', { zone: 'Europe/Paris' }).minus({ days });
      const scan = await cli.run('scan');
      expect(scan.code).toBe(0);
      const payload = newestPreview();
      expect(payload).toContain(`${spec.title} \\"Acme credential\\" expires in ${days} days`);
      expect(payload).toContain(consolePhrase(kind, mdm));
      for (const phrase of others) if (phrase !== consolePhrase(kind, mdm)) expect(payload).not.toContain(phrase);
      expect(payload).not.toContain('.vpptoken');
    }
    const renewed = await cli.run('renew', 'Acme credential', '--file', importFile(kind, 2027));
    expect(renewed.code).toBe(0);
    expect((await cli.run('scan')).code).toBe(0);
    expect(renewed.stdout).toContain('Renewed "Acme credential": next expiry 2028-06-0');
    const confirmation = newestPreview();
    expect(confirmation).toMatch(/renewed/i);
    expect(confirmation).toContain(spec.title);
  });
});

// docs/configuration.md agrees with the settings table: every environment variable the configuration reads is in the
// reference table, on the row that also names its config-file key (or marks it a secret).
import fs from 'node:fs';
import path from 'node:path';
import { knownEnvironmentVariables } from '../../src/config';
import { MDM_SOURCE_FILE_KEYS } from '../../src/config/mdm-sources';
import { SETTINGS } from '../../src/config/settings';

const REFERENCE = path.resolve(__dirname, '../../docs/configuration.md');

/** The rows of the reference table: the variables named in the first cell, and the second cell's text. */
function referenceRows(): { variables: string[]; fileCell: string }[] {
  return fs
    .readFileSync(REFERENCE, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return { variables: [...(cells[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? ''), fileCell: cells[2] ?? '' };
    });
}

describe('the configuration reference (docs/configuration.md)', () => {
  const rows = referenceRows();

  it('has one table row for each setting, naming its config-file key there or saying it is a secret', () => {
    const wrong = SETTINGS.flatMap((setting) => {
      const row = rows.find((r) => r.variables.includes(setting.env));
      if (row === undefined) return [`${setting.env}: no row`];
      const expected = setting.file === undefined ? /—|secret/ : new RegExp(`\`${setting.file}\``);
      return expected.test(row.fileCell) ? [] : [`${setting.env}: file key cell ${JSON.stringify(row.fileCell)}`];
    });
    expect(wrong).toEqual([]);
  });

  it('names every environment variable the configuration reads, secret files and the MDM source lists included', () => {
    const text = fs.readFileSync(REFERENCE, 'utf8');
    const missing = [...knownEnvironmentVariables(), ...MDM_SOURCE_FILE_KEYS].filter((name) => !text.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('lists no variable in the table that the configuration does not read', () => {
    const known = new Set(knownEnvironmentVariables());
    expect(rows.flatMap((row) => row.variables).filter((name) => !known.has(name))).toEqual([]);
  });
});

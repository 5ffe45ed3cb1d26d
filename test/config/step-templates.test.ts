// Loading the renewal-step wording: defaults, override files in the templates folder, and one-line errors for bad ones.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_STEP_LIBRARY, DEFAULT_STEP_TEMPLATES, type StepTemplates } from '../../src/domain/renewal-steps';
import { InputError } from '../../src/errors';
import { loadStepLibrary } from '../../src/config/step-templates';
import { makeTempDir, removeDir } from '../support/temp-dir';

let dir: string;

beforeEach(() => {
  dir = makeTempDir('tokenwatch-steps-');
});

afterEach(() => {
  removeDir(dir);
});

/** The InputError `load` throws, checked to be one line naming `file`. */
function inputErrorOf(load: () => unknown, file: string): InputError {
  let thrown: unknown;
  try {
    load();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputError);
  const error = thrown as InputError;
  expect(error.message).not.toContain('\n');
  expect(error.message).toContain(file);
  return error;
}

/** The VPP content token's wording for Workspace ONE UEM: what the top-level files (the layout before kinds) override. */
function loadStepTemplates(folder: string): StepTemplates {
  return loadStepLibrary(folder).vpp['workspace-one'];
}

describe('loading the step wording', () => {
  it('uses the defaults when the folder does not exist', () => {
    expect(loadStepTemplates(path.join(dir, 'no-such-folder'))).toEqual(DEFAULT_STEP_TEMPLATES);
  });

  it('uses the defaults when the folder holds no override', () => {
    fs.writeFileSync(path.join(dir, 'apple.txt.example'), 'not loaded');
    expect(loadStepTemplates(dir)).toEqual(DEFAULT_STEP_TEMPLATES);
  });

  it('uses an override file for its step and the defaults for the others', () => {
    fs.writeFileSync(path.join(dir, 'tell-tokenwatch.txt'), 'Open a ticket for {{tokenName}} in the service desk.  \r\nThanks!\n\n\n');
    const templates = loadStepTemplates(dir);
    expect(templates.tellTokenwatch).toBe('Open a ticket for {{tokenName}} in the service desk.\nThanks!');
    expect(templates.apple).toBe(DEFAULT_STEP_TEMPLATES.apple);
    expect(templates.console).toBe(DEFAULT_STEP_TEMPLATES.console);
    expect(templates.impact).toBe(DEFAULT_STEP_TEMPLATES.impact);
  });

  it('loads all the top-level override files for the VPP content token', () => {
    for (const [file, text] of [
      ['apple.txt', 'A {{appleAccount}}'],
      ['console.txt', 'C {{orgGroup}}'],
      ['impact.txt', 'I {{expiryDate}}'],
      ['tell-tokenwatch.txt', 'T {{tokenName}} {{orgName}}'],
    ] as const) {
      fs.writeFileSync(path.join(dir, file), text);
    }
    expect(loadStepTemplates(dir)).toEqual({
      apple: 'A {{appleAccount}}',
      console: 'C {{orgGroup}}',
      impact: 'I {{expiryDate}}',
      tellTokenwatch: 'T {{tokenName}} {{orgName}}',
      verify: DEFAULT_STEP_TEMPLATES.verify,
    });
  });

  it('gives the default wording when the shipped example files are copied to their .txt names', () => {
    const shipped = path.join(__dirname, '../../config/steps');
    for (const file of ['apple.txt', 'console.txt', 'verify.txt', 'impact.txt', 'tell-tokenwatch.txt']) {
      fs.copyFileSync(path.join(shipped, `${file}.example`), path.join(dir, file));
    }
    expect(loadStepTemplates(dir)).toEqual(DEFAULT_STEP_TEMPLATES);
  });

  it('rejects an unknown placeholder, naming the file and the placeholders it accepts', () => {
    fs.writeFileSync(path.join(dir, 'console.txt'), 'Go to {{orgGroup}} as {{adminName}}.');
    const error = inputErrorOf(() => loadStepTemplates(dir), 'console.txt');
    expect(error.message).toContain('{{adminName}}');
    expect(error.message).toContain('{{tokenName}}');
  });

  it('rejects an empty file or one holding only whitespace', () => {
    fs.writeFileSync(path.join(dir, 'impact.txt'), ' \n\t\n');
    expect(inputErrorOf(() => loadStepTemplates(dir), 'impact.txt').message).toContain('empty');
  });

  it('rejects a file larger than 16 KiB', () => {
    fs.writeFileSync(path.join(dir, 'apple.txt'), 'a'.repeat(16 * 1024 + 1));
    expect(inputErrorOf(() => loadStepTemplates(dir), 'apple.txt').message).toContain('16384');
  });

  it('accepts a file of exactly 16 KiB', () => {
    fs.writeFileSync(path.join(dir, 'apple.txt'), 'a'.repeat(16 * 1024));
    expect(loadStepTemplates(dir).apple).toHaveLength(16 * 1024);
  });

  it('rejects a folder named like an override file', () => {
    fs.mkdirSync(path.join(dir, 'apple.txt'));
    expect(inputErrorOf(() => loadStepTemplates(dir), 'apple.txt').message).toContain('not a regular file');
  });

  it('rejects a file that is not UTF-8 text', () => {
    fs.writeFileSync(path.join(dir, 'impact.txt'), Buffer.from([0x41, 0xff, 0xfe, 0x42]));
    inputErrorOf(() => loadStepTemplates(dir), 'impact.txt');
  });

  it('rejects a steps path that is a file rather than a folder', () => {
    const file = path.join(dir, 'steps');
    fs.writeFileSync(file, 'x');
    inputErrorOf(() => loadStepTemplates(file), 'steps');
  });
});

describe('per-kind and per-MDM step wording', () => {
  it('applies a kind\'s MDM file to that kind and MDM only, with its {{topic}} placeholder', () => {
    fs.mkdirSync(path.join(dir, 'apns'));
    fs.writeFileSync(path.join(dir, 'apns', 'console.jamf.txt'), 'Jamf: renew the certificate with topic {{topic}}.');
    const library = loadStepLibrary(dir);
    expect(library.apns.jamf.console).toBe('Jamf: renew the certificate with topic {{topic}}.');
    expect(library.apns.intune.console).toBe(DEFAULT_STEP_LIBRARY.apns.intune.console);
    expect(library.vpp.jamf.console).toBe(DEFAULT_STEP_LIBRARY.vpp.jamf.console);
    expect(library.ade.jamf.console).toBe(DEFAULT_STEP_LIBRARY.ade.jamf.console);
  });

  it('applies a kind\'s file to every MDM of that kind, and an MDM file wins over it', () => {
    fs.mkdirSync(path.join(dir, 'ade'));
    fs.writeFileSync(path.join(dir, 'ade', 'impact.txt'), 'No new iPads enroll after {{expiryDate}}.');
    fs.writeFileSync(path.join(dir, 'ade', 'impact.intune.txt'), 'Autopilot for iPads stops after {{expiryDate}}.');
    const library = loadStepLibrary(dir);
    expect(library.ade['workspace-one'].impact).toBe('No new iPads enroll after {{expiryDate}}.');
    expect(library.ade.other.impact).toBe('No new iPads enroll after {{expiryDate}}.');
    expect(library.ade.intune.impact).toBe('Autopilot for iPads stops after {{expiryDate}}.');
    expect(library.apns.intune.impact).toBe(DEFAULT_STEP_LIBRARY.apns.intune.impact);
  });

  it('keeps the top-level files for the VPP content token only', () => {
    fs.writeFileSync(path.join(dir, 'apple.txt'), 'Ask the VPP team.');
    const library = loadStepLibrary(dir);
    expect(library.vpp.jamf.apple).toBe('Ask the VPP team.');
    expect(library.apns.jamf.apple).toBe(DEFAULT_STEP_LIBRARY.apns.jamf.apple);
  });

  it('refuses an unknown placeholder in a per-kind MDM file, naming the file', () => {
    fs.mkdirSync(path.join(dir, 'apns'));
    fs.writeFileSync(path.join(dir, 'apns', 'verify.workspace-one.txt'), 'Check {{topc}}.');
    expect(inputErrorOf(() => loadStepLibrary(dir), 'verify.workspace-one.txt').message).toContain('{{topc}}');
  });
});

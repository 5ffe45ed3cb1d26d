// The step-wording layer of the configuration: the administrator's overrides of the renewal-step wording, read once at
// start-up from a folder (config/steps by default), per kind and per MDM console; channels receive the loaded wording,
// never the folder. Layout, most specific first:
//   <dir>/<kind>/<step>.<mdm>.txt   e.g. config/steps/apns/console.jamf.txt
//   <dir>/<kind>/<step>.txt         e.g. config/steps/ade/impact.txt
//   <dir>/<step>.txt                the VPP content token (the layout before kinds existed)
import fs from 'node:fs';
import path from 'node:path';
import { MDM_NAMES, TOKEN_KINDS, type MdmName, type TokenKind } from '../domain/kinds';
import {
  STEP_KEYS,
  STEP_PLACEHOLDERS,
  defaultStepTemplates,
  stepLibrary,
  unknownPlaceholders,
  type StepKey,
  type StepLibrary,
  type StepTemplates,
} from '../domain/renewal-steps';
import { InputError, errorCode, quoted } from '../errors';

/** The override file of each step, without the `.txt` (and before any `.<mdm>`). */
export const STEP_FILES: Readonly<Record<StepKey, string>> = {
  apple: 'apple',
  console: 'console',
  verify: 'verify',
  impact: 'impact',
  tellTokenwatch: 'tell-tokenwatch',
};

export const MAX_STEP_FILE_BYTES = 16 * 1024;

// Paths can be long; the file name at their end is what the administrator needs to see.
const PATH_MAX = 300;

/**
 * The step wording of every kind and MDM: each step's most specific override file in `dir` when one exists, else the
 * kind's default. A missing folder means all defaults. Throws InputError (one line naming the file) for a file that
 * cannot be read, is empty, is too large or uses an unknown placeholder, so a mistake shows at start-up rather than in
 * a reminder; likewise a file that holds one of the configured `secrets` (e.g. a symlink to the SMTP URL's secret
 * file), which every reminder would carry.
 */
export function loadStepLibrary(dir: string, secrets: readonly string[] = []): StepLibrary {
  const dirStat = statOrNull(dir, 'steps folder');
  if (dirStat === null) return stepLibrary(defaultStepTemplates);
  if (!dirStat.isDirectory()) {
    throw new InputError(
      `steps folder ${quoted(dir, PATH_MAX)} is not a folder (expected a folder holding files such as apns/console.jamf.txt or ${STEP_FILES.apple}.txt)`,
    );
  }
  const cache = new Map<string, string | null>();
  const read = (file: string): string | null => {
    if (!cache.has(file)) cache.set(file, readStepFile(file, secrets));
    return cache.get(file) ?? null;
  };
  const templatesOf = (kind: TokenKind, mdm: MdmName): StepTemplates => {
    const templates: Record<StepKey, string> = { ...defaultStepTemplates(kind, mdm) };
    for (const key of STEP_KEYS) {
      const candidates = [
        path.join(dir, kind, `${STEP_FILES[key]}.${mdm}.txt`),
        path.join(dir, kind, `${STEP_FILES[key]}.txt`),
        ...(kind === 'vpp' ? [path.join(dir, `${STEP_FILES[key]}.txt`)] : []),
      ];
      for (const file of candidates) {
        const loaded = read(file);
        if (loaded !== null) {
          templates[key] = loaded;
          break;
        }
      }
    }
    return Object.freeze(templates);
  };
  // Every kind and MDM is built now, so every file is read (and checked) at start-up.
  for (const kind of TOKEN_KINDS) for (const mdm of MDM_NAMES) templatesOf(kind, mdm);
  return stepLibrary(templatesOf);
}

function statOrNull(file: string, what: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new InputError(`${what} ${quoted(file, PATH_MAX)} cannot be read (${errorCode(error) ?? 'error'})`, { cause: error });
  }
}

/** The file's wording, or null when there is no such file. */
function readStepFile(file: string, secrets: readonly string[]): string | null {
  const name = `step file ${quoted(file, PATH_MAX)}`;
  const stat = statOrNull(file, 'step file');
  if (stat === null) return null;
  if (!stat.isFile()) throw new InputError(`${name} is not a regular file (expected a UTF-8 text file with the step's wording)`);
  if (stat.size > MAX_STEP_FILE_BYTES) {
    throw new InputError(`${name} is ${stat.size} bytes (expected at most ${MAX_STEP_FILE_BYTES} bytes of text)`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    // Removed between the check and the read: the default applies, as if it had never been there.
    if (errorCode(error) === 'ENOENT') return null;
    throw new InputError(`${name} cannot be read (${errorCode(error) ?? 'error'}; expected a readable UTF-8 text file)`, { cause: error });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InputError(`${name} is not UTF-8 text (expected a UTF-8 text file with the step's wording)`, { cause: error });
  }
  if (secrets.some((secret) => secret !== '' && text.includes(secret))) {
    throw new InputError(`${name} contains a configured secret (expected the step's wording only: it is sent in every reminder)`);
  }
  const wording = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
  if (wording.trim() === '') {
    throw new InputError(`${name} is empty (expected the step's wording, or remove the file to use the default)`);
  }
  const unknown = unknownPlaceholders(wording);
  if (unknown.length > 0) {
    const found = unknown.map((placeholder) => quoted(`{{${placeholder}}}`, 40)).join(', ');
    const known = STEP_PLACEHOLDERS.map((placeholder) => `{{${placeholder}}}`).join(', ');
    throw new InputError(`${name} uses unknown placeholder ${found} (expected only ${known})`);
  }
  return wording;
}


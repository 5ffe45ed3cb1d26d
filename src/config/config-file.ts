// The config-file layer: a JSON object of settings, read as strings keyed by file key (the MDM source lists as parsed
// objects); unknown keys and secrets in the file are refused, one line each.
import fs from 'node:fs';
import { InputError, errorCode, quoted } from '../errors';
import { MDM_SOURCE_FILE_KEYS } from './mdm-sources';
import { SETTINGS } from './settings';

/**
 * Values as strings, keyed by file key; arrays become comma-separated lists. The MDM source lists (objects) are
 * kept as parsed, in `lists`.
 */
export function readConfigFile(file: string, isExplicit: boolean, lists: Map<string, unknown>): Map<string, string> {
  const values = new Map<string, string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && !isExplicit) return values;
    throw new InputError(`${file}: cannot read the config file (${code ?? 'error'}; expected a JSON file)`);
  }
  let parsed: unknown;
  try {
    // A byte-order mark (some Windows editors write one) is not part of the JSON.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${file}: expected a JSON object of settings`);
  }
  const known = new Set([...SETTINGS.flatMap((s) => (s.file === undefined ? [] : [s.file])), ...MDM_SOURCE_FILE_KEYS]);
  // Secrets by their Config key, and the names an administrator might try for them.
  const secrets = new Set([
    ...SETTINGS.flatMap((s) => (s.secretFile === undefined ? [] : [s.key])),
    ...['slackBotToken', 'password', 'httpPassword', 'intuneClientSecret', 'jamfClientSecret', 'clientSecret'],
  ]);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) {
      const secret = secrets.has(key);
      problems.push(
        secret
          ? `${file}: "${key}" is a secret and is not read from the config file (expected it in the environment or a secret file)`
          : `${file}: unknown setting ${quoted(key)} (expected one of ${[...known].join(', ')})`,
      );
    } else if ((MDM_SOURCE_FILE_KEYS as readonly string[]).includes(key)) lists.set(key, value);
    else if (Array.isArray(value)) values.set(key, value.map(String).join(','));
    else if (typeof value === 'string' || typeof value === 'number') values.set(key, String(value));
    else problems.push(`${file}: "${key}" must be a string, a number or a list`);
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return values;
}

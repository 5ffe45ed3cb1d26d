// The secret-file layer: a secret read from the file a `…_FILE` variable (Docker and Kubernetes secrets) or a config
// file's `clientSecretFile` names. Secrets never come from the config file itself.
import fs from 'node:fs';
import { InputError, errorCode, quoted } from '../errors';

/** The environment as loadConfig reads it (process.env by default). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads a secret from the file named by `env[variable]`; null when the variable is unset. */
export function readSecretFile(env: Env, variable: string): string | null {
  const file = env[variable];
  if (file === undefined || file === '') return null;
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = errorCode(error) ?? 'unreadable';
    throw new InputError(`${variable}: cannot read ${quoted(file)} (${code}; expected a readable file holding the secret)`);
  }
}

/** Reads a secret from `file`; an empty file is refused (`where` names the setting). */
export function readSecret(file: string, where: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new InputError(`${where}: cannot read ${quoted(file)} (${errorCode(error) ?? 'unreadable'}; expected a readable file holding the secret)`);
  }
  if (text === '') throw new InputError(`${where}: ${quoted(file)} is empty (expected the secret)`);
  return text;
}

// The MDM sources an administrator configured: Intune tenants and Jamf Pro servers. One of each from environment
// variables (TOKENWATCH_INTUNE_*, TOKENWATCH_JAMF_*), any number from the config file (`intuneTenants`,
// `jamfServers`), whose secrets are named, never written: `clientSecretEnv` (a variable) or `clientSecretFile`.
import { InputError, quoted } from '../errors';
import type { IntuneTenantSettings, JamfServerSettings, MdmSourceSettings } from './config';
import { httpsUrl } from './parsers';
import { readSecret, type Env } from './secret-file';

/** The config file keys this module reads; their values are lists of objects. */
export const MDM_SOURCE_FILE_KEYS = ['intuneTenants', 'jamfServers'] as const;

const LABEL = /^[A-Za-z0-9._-]{1,40}$/;

function secretFrom(env: Env, variable: string, fileVariable: string): string | null {
  const value = env[variable];
  if (value !== undefined && value.trim() !== '') return value.trim();
  const file = env[fileVariable];
  return file === undefined || file === '' ? null : readSecret(file, fileVariable);
}


function field(entry: Record<string, unknown>, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${where}: "${key}" is missing (expected a non-empty string)`);
  return value.trim();
}

/** The secret of one listed tenant or server: by variable name or by file, never inline. */
function listedSecret(entry: Record<string, unknown>, env: Env, where: string): string {
  if ('clientSecret' in entry) {
    throw new InputError(`${where}: "clientSecret" is a secret and is not read from the config file (expected "clientSecretEnv" or "clientSecretFile")`);
  }
  if (typeof entry.clientSecretEnv === 'string') {
    const value = env[entry.clientSecretEnv];
    if (value === undefined || value.trim() === '') throw new InputError(`${where}: ${entry.clientSecretEnv} is not set (expected the client secret in it)`);
    return value.trim();
  }
  if (typeof entry.clientSecretFile === 'string') return readSecret(entry.clientSecretFile, `${where}: clientSecretFile`);
  throw new InputError(`${where}: no secret (expected "clientSecretEnv": a variable name, or "clientSecretFile": a path)`);
}

function listed(value: unknown, key: string, file: string): { entry: Record<string, unknown>; where: string; label: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InputError(`${file}: "${key}" must be a list of objects`);
  const labels = new Set<string>();
  return value.map((entry: unknown, index) => {
    const where = `${file}: ${key}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new InputError(`${where}: expected an object`);
    const record = entry as Record<string, unknown>;
    const label = field(record, 'label', where);
    if (!LABEL.test(label)) throw new InputError(`${where}: label ${quoted(label)} is not valid (expected letters, digits, . _ -, at most 40)`);
    if (labels.has(label)) throw new InputError(`${where}: label ${quoted(label)} is listed twice (expected each once)`);
    labels.add(label);
    return { entry: record, where, label };
  });
}

/**
 * Reads the MDM sources from the environment and the config file's lists (`fileLists`, as parsed JSON). Throws one
 * InputError naming the setting and what was expected.
 */
export function readMdmSourceSettings(env: Env, fileLists: ReadonlyMap<string, unknown>, file: string): MdmSourceSettings {
  const intuneTenants: IntuneTenantSettings[] = [];
  const tenantId = env['TOKENWATCH_INTUNE_TENANT_ID']?.trim() ?? '';
  const clientId = env['TOKENWATCH_INTUNE_CLIENT_ID']?.trim() ?? '';
  const intuneSecret = secretFrom(env, 'TOKENWATCH_INTUNE_CLIENT_SECRET', 'TOKENWATCH_INTUNE_CLIENT_SECRET_FILE');
  if (tenantId !== '' || clientId !== '' || intuneSecret !== null) {
    if (tenantId === '' || clientId === '' || intuneSecret === null) {
      throw new InputError(
        'TOKENWATCH_INTUNE_TENANT_ID: Intune needs all three of TOKENWATCH_INTUNE_TENANT_ID, TOKENWATCH_INTUNE_CLIENT_ID and TOKENWATCH_INTUNE_CLIENT_SECRET (or _FILE)',
      );
    }
    intuneTenants.push({ name: 'intune', tenantId, clientId, clientSecret: intuneSecret });
  }
  for (const { entry, where, label } of listed(fileLists.get('intuneTenants'), 'intuneTenants', file)) {
    intuneTenants.push({
      name: `intune:${label}`,
      tenantId: field(entry, 'tenantId', where),
      clientId: field(entry, 'clientId', where),
      clientSecret: listedSecret(entry, env, where),
    });
  }

  const jamfServers: JamfServerSettings[] = [];
  const jamfUrl = env['TOKENWATCH_JAMF_URL']?.trim() ?? '';
  const jamfClientId = env['TOKENWATCH_JAMF_CLIENT_ID']?.trim() ?? '';
  const jamfSecret = secretFrom(env, 'TOKENWATCH_JAMF_CLIENT_SECRET', 'TOKENWATCH_JAMF_CLIENT_SECRET_FILE');
  if (jamfUrl !== '' || jamfClientId !== '' || jamfSecret !== null) {
    if (jamfUrl === '' || jamfClientId === '' || jamfSecret === null) {
      throw new InputError(
        'TOKENWATCH_JAMF_URL: Jamf Pro needs all three of TOKENWATCH_JAMF_URL, TOKENWATCH_JAMF_CLIENT_ID and TOKENWATCH_JAMF_CLIENT_SECRET (or _FILE)',
      );
    }
    jamfServers.push({ name: 'jamf', url: httpsUrl(jamfUrl, 'TOKENWATCH_JAMF_URL'), clientId: jamfClientId, clientSecret: jamfSecret });
  }
  for (const { entry, where, label } of listed(fileLists.get('jamfServers'), 'jamfServers', file)) {
    jamfServers.push({
      name: `jamf:${label}`,
      url: httpsUrl(field(entry, 'url', where), `${where}: url`),
      clientId: field(entry, 'clientId', where),
      clientSecret: listedSecret(entry, env, where),
    });
  }
  return { intuneTenants, jamfServers };
}

/** The secrets these settings hold, for redaction. */
export function mdmSourceSecrets(settings: MdmSourceSettings): string[] {
  return [...settings.intuneTenants, ...settings.jamfServers].map((source) => source.clientSecret);
}

/** The environment variables this module reads (beside those a config file names). */
export const MDM_SOURCE_ENVIRONMENT = [
  'TOKENWATCH_INTUNE_TENANT_ID',
  'TOKENWATCH_INTUNE_CLIENT_ID',
  'TOKENWATCH_INTUNE_CLIENT_SECRET',
  'TOKENWATCH_INTUNE_CLIENT_SECRET_FILE',
  'TOKENWATCH_JAMF_URL',
  'TOKENWATCH_JAMF_CLIENT_ID',
  'TOKENWATCH_JAMF_CLIENT_SECRET',
  'TOKENWATCH_JAMF_CLIENT_SECRET_FILE',
] as const;

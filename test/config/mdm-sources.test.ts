// Covers the MDM source settings: one Intune tenant and one Jamf Pro server from the environment, any number from
// the config file with their secrets by reference, and every way they can be wrong (one line naming it).
import fs from 'node:fs';
import path from 'node:path';
import { describeConfig, loadConfig } from '../../src/config';
import { InputError } from '../../src/errors';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('MDM source settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  const withFile = (content: unknown): string => {
    const file = path.join(dir, 'tokenwatch.json');
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  };
  const load = (env: Record<string, string>, configFile?: string) => loadConfig({ env, cwd: dir, configFile });

  it('reads none by default, with the public Graph and sign-in hosts', () => {
    const config = load({});
    expect(config.intuneTenants).toEqual([]);
    expect(config.jamfServers).toEqual([]);
    expect(config.graphUrl).toBe('https://graph.microsoft.com/');
    expect(config.azureLoginUrl).toBe('https://login.microsoftonline.com/');
  });

  it('reads one tenant and one server from the environment, secrets from a file too, and redacts them', () => {
    const secretFile = path.join(dir, 'jamf-secret');
    fs.writeFileSync(secretFile, 'jamf-secret-from-file\n');
    const config = load({
      TOKENWATCH_INTUNE_TENANT_ID: 'tenant',
      TOKENWATCH_INTUNE_CLIENT_ID: 'client',
      TOKENWATCH_INTUNE_CLIENT_SECRET: 'abc',
      TOKENWATCH_JAMF_URL: 'https://acme.jamfcloud.com',
      TOKENWATCH_JAMF_CLIENT_ID: 'jamf-client',
      TOKENWATCH_JAMF_CLIENT_SECRET_FILE: secretFile,
    });
    expect(config.intuneTenants).toEqual([{ name: 'intune', tenantId: 'tenant', clientId: 'client', clientSecret: 'abc' }]);
    expect(config.jamfServers).toEqual([{ name: 'jamf', url: 'https://acme.jamfcloud.com/', clientId: 'jamf-client', clientSecret: 'jamf-secret-from-file' }]);
    expect(config.secrets).toEqual(expect.arrayContaining(['abc', 'jamf-secret-from-file']));
    expect(JSON.stringify(describeConfig(config))).not.toMatch(/abc"|jamf-secret-from-file/);
  });

  it("reads a service provider's tenants and servers from the config file, each secret by variable or file", () => {
    const secretFile = path.join(dir, 'fabrikam');
    fs.writeFileSync(secretFile, 'fabrikam-secret');
    const file = withFile({
      intuneTenants: [
        { label: 'contoso', tenantId: 't1', clientId: 'c1', clientSecretEnv: 'CONTOSO_SECRET' },
        { label: 'fabrikam', tenantId: 't2', clientId: 'c2', clientSecretFile: secretFile },
      ],
      jamfServers: [{ label: 'macs', url: 'https://macs.example.test/', clientId: 'j1', clientSecretEnv: 'MACS_SECRET' }],
    });
    const config = load({ CONTOSO_SECRET: 'contoso-secret', MACS_SECRET: 'macs-secret' }, file);
    expect(config.intuneTenants.map((t) => [t.name, t.tenantId, t.clientSecret])).toEqual([
      ['intune:contoso', 't1', 'contoso-secret'],
      ['intune:fabrikam', 't2', 'fabrikam-secret'],
    ]);
    expect(config.jamfServers.map((s) => [s.name, s.url, s.clientSecret])).toEqual([['jamf:macs', 'https://macs.example.test/', 'macs-secret']]);
  });

  it.each([
    [{}, { TOKENWATCH_INTUNE_TENANT_ID: 't' }, 'TOKENWATCH_INTUNE_TENANT_ID: Intune needs all three'],
    [{}, { TOKENWATCH_JAMF_URL: 'https://j/', TOKENWATCH_JAMF_CLIENT_ID: 'c' }, 'TOKENWATCH_JAMF_URL: Jamf Pro needs all three'],
    [{}, { TOKENWATCH_JAMF_URL: 'ftp://j/', TOKENWATCH_JAMF_CLIENT_ID: 'c', TOKENWATCH_JAMF_CLIENT_SECRET: 's' }, 'TOKENWATCH_JAMF_URL: "ftp://j/" is not an http(s) URL'],
    [{ intuneTenants: [{ label: 'a', tenantId: 't', clientId: 'c', clientSecret: 'inline' }] }, {}, 'intuneTenants[0]: "clientSecret" is a secret and is not read from the config file'],
    [{ intuneTenants: [{ label: 'a', tenantId: 't', clientId: 'c', clientSecretEnv: 'UNSET_VARIABLE' }] }, {}, 'intuneTenants[0]: UNSET_VARIABLE is not set'],
    [{ intuneTenants: [{ label: 'a', tenantId: 't', clientId: 'c' }] }, {}, 'intuneTenants[0]: no secret'],
    [{ jamfServers: [{ label: 'a b', url: 'https://j/', clientId: 'c', clientSecretEnv: 'X' }] }, { X: 'x' }, 'jamfServers[0]: label "a b" is not valid'],
    [{ jamfServers: [{ label: 'a', url: 'https://j/', clientId: 'c', clientSecretEnv: 'X' }, { label: 'a', url: 'https://k/', clientId: 'c', clientSecretEnv: 'X' }] }, { X: 'x' }, 'jamfServers[1]: label "a" is listed twice'],
    [{ jamfServers: { label: 'a' } }, {}, '"jamfServers" must be a list of objects'],
    [{ intuneTenants: [{ label: 'a', clientId: 'c', clientSecretEnv: 'X' }] }, { X: 'x' }, 'intuneTenants[0]: "tenantId" is missing'],
  ])('refuses %j with %j in one line naming it', (file, env, message) => {
    const configFile = withFile(file);
    let thrown: unknown;
    try {
      load(env, configFile);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).not.toContain('inline');
  });
});

// docs/operations.md runs the CLI where the daemon runs: the commands it shows call the package's own bin, in the
// compose service's container, and on a systemd host as the unit's user, in its folder, with its environment file.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
const doc = read('docs/operations.md');
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
const unit = read('config/tokenwatch.service.example');
const directive = (name: string): string | undefined => new RegExp(`^${name}=(.*)$`, 'm').exec(unit)?.[1];

describe('the operations guide', () => {
  it('calls the built CLI at the path the package installs as its bin', () => {
    const bin = (pkg.bin['tokenwatch'] ?? '').replace(/^\.\//, '');
    const called = [...doc.matchAll(/node (\S*main\.js)/g)].map((match) => match[1]);
    expect(called.length).toBeGreaterThanOrEqual(5);
    expect(new Set(called)).toEqual(new Set([bin]));
  });

  it('runs the CLI in Docker through the compose service that runs the daemon', () => {
    const compose = parseYaml(read('docker-compose.yml')) as { services: Record<string, unknown> };
    const services = [...doc.matchAll(/docker compose (?:exec|run --rm(?: -v \S+)?|cp) (\w+)/g)].map((match) => match[1]);
    expect(services.length).toBeGreaterThanOrEqual(4);
    for (const service of services) expect(Object.keys(compose.services)).toContain(service);
  });

  it('runs the CLI on a systemd host as the unit does: its user, folder and environment file', () => {
    const command = /sudo systemd-run ([^\n]*\\\n[^\n]*\\\n[^\n]*)/.exec(doc)?.[1]?.replace(/\\\n\s*/g, ' ') ?? '';
    expect(command).toContain(`--uid=${directive('User') ?? '?'}`);
    expect(command).toContain(`--gid=${directive('Group') ?? '?'}`);
    expect(command).toContain(`-p WorkingDirectory=${directive('WorkingDirectory') ?? '?'}`);
    expect(command).toContain(`-p EnvironmentFile=${directive('EnvironmentFile') ?? '?'}`);
    expect(command).toContain(`${(directive('ExecStart') ?? '').split(' ')[0] ?? '?'} `);
  });

  it('warns that a first import as root creates a database the service cannot open, and says how to fix it', () => {
    expect(doc).toMatch(/Do not run the first `import` as root/);
    expect(doc).toContain(`chown ${directive('User') ?? '?'}: ${directive('WorkingDirectory') ?? '?'}/data/tokenwatch.db*`);
  });
});

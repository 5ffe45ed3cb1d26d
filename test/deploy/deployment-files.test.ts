// The Dockerfile, docker-compose.yml, .env.example and the systemd unit, checked for structure: no Docker engine runs
// where the tests run, so these tests keep the files honest against the project (scripts, settings, paths).
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { knownEnvironmentVariables, loadConfig } from '../../src/config';

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: readonly { keyword: string; args: string }[];
}

/** Splits a Dockerfile into stages of (keyword, arguments), joining continued lines and dropping comments. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { from: string; name: string | null; instructions: { keyword: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const argsText = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argsText);
      stages.push({ from: match?.[1] ?? argsText, name: match?.[2] ?? null, instructions: [] });
    } else if (stages.length === 0 && keyword.toUpperCase() === 'ARG') {
      const [name = '', value = ''] = argsText.split('=');
      args.set(name, value);
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args: argsText });
    }
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const runtime = dockerfile.stages.at(-1) as Stage;
const instructionsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

interface ComposeService {
  build?: unknown;
  image?: string;
  user?: string;
  profiles?: string[];
  env_file?: (string | { path: string; required?: boolean })[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}
const compose = parseYaml(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };

/** KEY=value lines of an env file, comments included when they look like settings (`# KEY=value`). */
function envFileKeys(text: string): string[] {
  return [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
}

describe('the Dockerfile', () => {
  test('builds in one stage and runs from a slim Node LTS image in another', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const version = dockerfile.args.get('NODE_VERSION');
    expect(Number(version) % 2).toBe(0); // even majors are the LTS lines
    expect(Number(version)).toBeGreaterThanOrEqual(20);
    expect(runtime.from).toBe('node:${NODE_VERSION}-bookworm-slim');
    expect(runtime.name).toBe('runtime');
  });

  test('builds with the same npm scripts as a fresh clone', () => {
    const build = dockerfile.stages.find((s) => s.name === 'build') as Stage;
    expect(instructionsOf(build, 'RUN')).toContain('npm ci');
    expect(pkg.scripts['prepare']).toBe('npm run build');
    const testStage = dockerfile.stages.find((s) => s.name === 'test') as Stage;
    expect(instructionsOf(testStage, 'RUN')).toEqual(['npm test']);
    // Every file the build copies exists, so the build context is complete.
    for (const stage of dockerfile.stages) {
      for (const copy of instructionsOf(stage, 'COPY').filter((c) => !c.startsWith('--from'))) {
        const sources = copy.split(/\s+/).slice(0, -1);
        for (const source of sources) expect(fs.existsSync(path.join(root, source))).toBe(true);
      }
    }
  });

  test('runs the daemon as the unprivileged node user with data/ on a volume', () => {
    expect(instructionsOf(runtime, 'USER')).toEqual(['node']);
    expect(instructionsOf(runtime, 'VOLUME')).toEqual(['["/app/data"]']);
    expect(instructionsOf(runtime, 'WORKDIR')).toEqual(['/app']);
    // ENTRYPOINT + CMD run exactly what `npm start` runs (which `exec`s node so that signals reach it).
    const [entrypoint = '[]'] = instructionsOf(runtime, 'ENTRYPOINT');
    const [cmd = '[]'] = instructionsOf(runtime, 'CMD');
    expect([...(JSON.parse(entrypoint) as string[]), ...(JSON.parse(cmd) as string[])].join(' ')).toBe(pkg.scripts['start']?.replace(/^exec /, ''));
    // The default registry path, resolved from the image's working directory, lies on that volume.
    expect(instructionsOf(runtime, 'ENV').join(' ')).not.toContain('TOKENWATCH_DB');
    const config = loadConfig({ cwd: '/app', env: {} });
    expect(config.dbPath.startsWith('/app/data/')).toBe(true);
    expect(config.previewDir.startsWith('/app/data/')).toBe(true);
  });

  test('has a HEALTHCHECK on the daemon\'s /healthz at the address the image listens on', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/CMD .*fetch\('http:\/\/127\.0\.0\.1:9412\/healthz'\)/);
    expect(instructionsOf(runtime, 'ENV').join(' ')).toContain('TOKENWATCH_HTTP=0.0.0.0:9412');
  });

  test('keeps secrets, local data and build output out of the build context', () => {
    const ignored = read('.dockerignore').split(/\r?\n/);
    for (const entry of ['.env', 'data', 'node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});

describe('docker-compose.yml', () => {
  const service = compose.services['tokenwatch'] as ComposeService;

  test('runs tokenwatch from this Dockerfile as a non-root user, restarting unless stopped', () => {
    expect(service.build).toBe('.');
    expect(service.user).toBe('node');
    expect(service).toMatchObject({ restart: 'unless-stopped' });
    expect(service.profiles).toBeUndefined();
  });

  test('mounts config/ read-only and keeps data/ on a named volume', () => {
    expect(service.volumes).toContain('./config:/app/config:ro');
    expect(service.volumes).toContain('tokenwatch-data:/app/data');
    expect(Object.keys(compose.volumes)).toEqual(['tokenwatch-data']);
  });

  test('reads secrets from a git-ignored env file whose committed example names only real settings', () => {
    expect(service.env_file).toEqual([{ path: '.env', required: false }]);
    expect(read('.gitignore').split(/\r?\n/)).toContain('.env');
    const known = new Set(knownEnvironmentVariables());
    const keys = envFileKeys(read('.env.example'));
    expect(keys).toEqual(expect.arrayContaining(['TOKENWATCH_SMTP_URL', 'SLACK_BOT_TOKEN']));
    for (const key of [...keys, ...Object.keys(service.environment ?? {})]) expect([key, known.has(key)]).toEqual([key, true]);
    // The example carries no secret values.
    expect(read('.env.example')).toMatch(/^TOKENWATCH_SMTP_URL=$/m);
    expect(read('.env.example')).toMatch(/^SLACK_BOT_TOKEN=$/m);
  });

  test('publishes the status port on the host\'s loopback only', () => {
    expect(service.ports).toEqual(['127.0.0.1:9412:9412']);
    expect(service.environment?.['TOKENWATCH_HTTP']).toBe('0.0.0.0:9412');
    // Only because the port is published on loopback may the daemon serve without authentication (docs/http.md).
    expect(service.environment?.['TOKENWATCH_HTTP_PUBLIC']).toBe('yes');
  });

  test('offers mailpit only under the dev profile', () => {
    const mailpit = compose.services['mailpit'] as ComposeService;
    expect(mailpit.image).toMatch(/^axllent\/mailpit/);
    expect(mailpit.profiles).toEqual(['dev']);
    expect(mailpit.ports).toEqual(expect.arrayContaining(['127.0.0.1:8025:8025', '127.0.0.1:1025:1025']));
    expect(read('.env.example')).toContain('smtp://mailpit:1025');
  });
});

describe('the systemd unit example', () => {
  const unit = read('config/tokenwatch.service.example');
  const directive = (name: string): string[] =>
    [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1] as string);

  test('starts what npm start starts, as an unprivileged user, with secrets from a root-only file', () => {
    const started = pkg.scripts['start']?.replace(/^exec node /, '');
    expect(directive('ExecStart')).toEqual([`/usr/bin/node ${started}`]);
    expect(directive('User')).toEqual(['tokenwatch']);
    expect(directive('EnvironmentFile')).toEqual(['/etc/tokenwatch.env']);
  });

  test('does not restart on a configuration error (exit 2) and may only write under data/', () => {
    expect(directive('RestartPreventExitStatus')).toEqual(['2']);
    expect(directive('ProtectSystem')).toEqual(['strict']);
    expect(directive('ReadWritePaths')).toEqual([`${directive('WorkingDirectory')[0]}/data`]);
  });

  test('is the unit the operations guide shows', () => {
    expect(read('docs/operations.md')).toContain(unit.slice(unit.indexOf('[Unit]')).trim());
  });
});

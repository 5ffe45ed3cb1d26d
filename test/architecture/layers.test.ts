// The layering check (`npm run layers`, dependency-cruiser with .dependency-cruiser.cjs): passes on src/ and fails on each forbidden import.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, removeDir } from '../support/temp-dir';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface CheckResult {
  readonly passed: boolean;
  readonly output: string;
}

/** Runs the same command as `npm run layers` on `src` below `cwd`. */
async function checkLayers(cwd: string): Promise<CheckResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG], { cwd });
    return { passed: true, output: stdout + stderr };
  } catch (thrown) {
    const failed = thrown as { stdout?: string; stderr?: string };
    return { passed: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A small tree of TypeScript files below a fresh folder: path -> content. */
function tree(files: Record<string, string>): string {
  const dir = makeTempDir('tokenwatch-layers-');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir'); // npm packages resolve
  return dir;
}

describe('the layering check', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const fixture = (files: Record<string, string>): string => {
    const dir = tree(files);
    dirs.push(dir);
    return dir;
  };

  it('passes on the source tree as it is', async () => {
    const result = await checkLayers(ROOT);
    expect(result).toEqual({ passed: true, output: expect.stringContaining('no dependency violations found') });
  });

  it('fails when a copy of src/ gains one import from the domain up to a channel', async () => {
    const dir = fixture({});
    fs.cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    const routing = path.join(dir, 'src/domain/routing.ts');
    fs.writeFileSync(routing, `import type { Channel } from '../notify/channel';\nexport type Upward = Channel;\n${fs.readFileSync(routing, 'utf8')}`);
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/x 1 dependency violations/);
    expect(result.output).toMatch(/domain-is-pure: src\/domain\/routing\.ts → src\/notify\/channel\.ts/);
  });

  it('lets the domain import itself, src/errors.ts and npm packages', async () => {
    const dir = fixture({
      'src/errors.ts': 'export class InputError extends Error {}\n',
      'src/domain/a.ts': "import { DateTime } from 'luxon';\nimport { InputError } from '../errors';\nimport { b } from './b';\nexport const a = [DateTime, InputError, b];\n",
      'src/domain/b.ts': 'export const b = 1;\n',
    });
    expect(await checkLayers(dir)).toMatchObject({ passed: true });
  });

  it('fails when the domain imports another folder of src/, even for a type only', async () => {
    const dir = fixture({
      'src/domain/a.ts': "import type { Config } from '../config';\nexport type A = Config;\n",
      'src/config.ts': 'export interface Config { readonly zone: string }\n',
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/domain-is-pure: src\/domain\/a\.ts → src\/config\.ts/);
  });

  it('fails when the store imports a channel or the HTTP edge', async () => {
    const dir = fixture({
      'src/store/a.ts': "import { send } from '../notify/b';\nimport { serve } from '../http/c';\nexport const a = [send, serve];\n",
      'src/notify/b.ts': 'export const send = 1;\n',
      'src/http/c.ts': 'export const serve = 1;\n',
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/store-below-edges: src\/store\/a\.ts → src\/notify\/b\.ts/);
    expect(result.output).toMatch(/store-below-edges: src\/store\/a\.ts → src\/http\/c\.ts/);
  });

  it('fails when a copy of src/ takes back the three imports that used to cross folders', async () => {
    const dir = fixture({});
    fs.cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    const prepend = (file: string, line: string): void => {
      const full = path.join(dir, file);
      fs.writeFileSync(full, `${line}\n${fs.readFileSync(full, 'utf8')}`);
    };
    prepend('src/store/source-links.ts', "import type { SourceSyncPlan } from '../sources/reconcile';\nexport type Crossing = SourceSyncPlan;");
    prepend('src/config/settings.ts', "import { hashPassword } from '../http/password-hash';\nexport const crossing = hashPassword;");
    prepend('src/notify/http-post.ts', "import { requestJson } from '../sources/http-json';\nexport const crossing = requestJson;");
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/x 3 dependency violations/);
    expect(result.output).toMatch(/store-below-edges: src\/store\/source-links\.ts → src\/sources\/reconcile\.ts/);
    expect(result.output).toMatch(/config-below-edges: src\/config\/settings\.ts → src\/http\/password-hash\.ts/);
    expect(result.output).toMatch(/channels-not-sources: src\/notify\/http-post\.ts → src\/sources\/http-json\.ts/);
  });

  it('fails when the store imports a source, the engine, the daemon or the configuration', async () => {
    const dir = fixture({
      'src/store/a.ts':
        "import { s } from '../sources/s';\nimport { e } from '../engine/e';\nimport { d } from '../daemon/d';\nimport { c } from '../config/c';\nexport const a = [s, e, d, c];\n",
      'src/sources/s.ts': 'export const s = 1;\n',
      'src/engine/e.ts': 'export const e = 1;\n',
      'src/daemon/d.ts': 'export const d = 1;\n',
      'src/config/c.ts': 'export const c = 1;\n',
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/x 4 dependency violations/);
    for (const target of ['sources/s', 'engine/e', 'daemon/d', 'config/c']) {
      expect(result.output).toMatch(new RegExp(`store-below-edges: src/store/a\\.ts → src/${target}\\.ts`));
    }
  });

  it('lets the configuration import the domain and src/errors.ts, and nothing else of src/', async () => {
    const files = {
      'src/errors.ts': 'export class InputError extends Error {}\n',
      'src/domain/d.ts': 'export const d = 1;\n',
      'src/log.ts': 'export const log = 1;\n',
      'src/config/b.ts': 'export const b = 1;\n',
    };
    const allowed = fixture({
      ...files,
      'src/config/a.ts': "import { InputError } from '../errors';\nimport { d } from '../domain/d';\nimport { b } from './b';\nexport const a = [InputError, d, b];\n",
    });
    expect(await checkLayers(allowed)).toMatchObject({ passed: true });
    const upward = fixture({ ...files, 'src/config/a.ts': "import { log } from '../log';\nexport const a = log;\n" });
    const result = await checkLayers(upward);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/config-below-edges: src\/config\/a\.ts → src\/log\.ts/);
  });

  it('fails when the shared HTTP client imports a channel or a source', async () => {
    const dir = fixture({
      'src/http-client/a.ts': "import { send } from '../notify/b';\nimport { read } from '../sources/c';\nexport const a = [send, read];\n",
      'src/notify/b.ts': 'export const send = 1;\n',
      'src/sources/c.ts': 'export const read = 1;\n',
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/http-client-is-shared: src\/http-client\/a\.ts → src\/notify\/b\.ts/);
    expect(result.output).toMatch(/http-client-is-shared: src\/http-client\/a\.ts → src\/sources\/c\.ts/);
  });

  it('fails when a source imports a channel, and when a channel imports a source', async () => {
    const dir = fixture({
      'src/sources/a.ts': "import { send } from '../notify/b';\nexport const a = send;\n",
      'src/notify/b.ts': "import { read } from '../sources/c';\nexport const send = read;\n",
      'src/sources/c.ts': 'export const read = 1;\n',
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/sources-not-channels: src\/sources\/a\.ts → src\/notify\/b\.ts/);
    expect(result.output).toMatch(/channels-not-sources: src\/notify\/b\.ts → src\/sources\/c\.ts/);
  });

  it('fails when anything outside src/cli imports the CLI', async () => {
    const dir = fixture({
      'src/daemon/a.ts': "import { run } from '../cli/b';\nexport const a = run;\n",
      'src/cli/b.ts': 'export const run = 1;\n',
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/cli-is-the-top: src\/daemon\/a\.ts → src\/cli\/b\.ts/);
  });

  it('fails on an import cycle, also within one folder', async () => {
    const dir = fixture({
      'src/engine/a.ts': "import { b } from './b';\nexport const a = (): number => b;\n",
      'src/engine/b.ts': "import { a } from './a';\nexport const b = 1;\nexport const c = a;\n",
    });
    const result = await checkLayers(dir);
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/no-cycles: src\/engine\/a\.ts → /);
  });
});

// `npm start` as an administrator runs it: SIGTERM sent to the npm process reaches the daemon, which stops cleanly
// and leaves no process behind holding the port and the lease.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertBuilt } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string> };

/** The processes below `pid` (read from /proc), children first. */
function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

describeOnLinux('npm start', () => {
  let dir: string;
  let leftovers: number[] = [];
  beforeAll(() => assertBuilt());
  beforeEach(() => {
    // A copy of the package's start script next to the built code, as on a clone where `npm ci` has run.
    dir = makeTempDir();
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: pkg.name, private: true, scripts: { start: pkg.scripts['start'] } }));
    fs.symlinkSync(path.join(root, 'dist'), path.join(dir, 'dist'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  });
  afterEach(() => {
    for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    leftovers = [];
    removeDir(dir);
  });

  it('passes SIGTERM on to the daemon, which stops cleanly, leaving no process behind', async () => {
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: dir,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: dir,
        TOKENWATCH_DB: path.join(dir, 'data', 'tokenwatch.db'),
        TOKENWATCH_PREVIEW_DIR: path.join(dir, 'data', 'preview'),
        TOKENWATCH_TZ: 'Europe/Paris',
        TOKENWATCH_HTTP: '127.0.0.1:0',
      },
    });
    let output = '';
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`daemon did not start: ${output}`)), 20_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/next scheduled scan/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      npm.stdout.on('data', onData);
      npm.stderr.on('data', onData);
    });
    const exited = new Promise<number | string>((resolve) => npm.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    await started;
    const below = descendants(npm.pid as number);
    leftovers = below;
    expect(below.length).toBeGreaterThan(0);

    npm.kill('SIGTERM');
    await exited;
    // The daemon itself got the signal: it says so as it stops, and nothing npm started is left running.
    const deadline = Date.now() + 5000;
    while (below.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(below.filter(isAlive)).toEqual([]);
    expect(output).toContain('tokenwatch daemon: stopped.');
  }, 30_000);
});

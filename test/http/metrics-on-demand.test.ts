// The built daemon loads prom-client on the first /metrics request, not at start: a daemon nobody scrapes never
// holds it; the first scrape loads it and answers in Prometheus's text format. Node's module debug log
// (NODE_DEBUG=module, https://nodejs.org/api/cli.html#node_debugmodule) shows what the process loaded.
import { spawn } from 'node:child_process';
import { BIN, assertBuilt, daemonEnv } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('/metrics on demand', () => {
  let dir: string;
  beforeAll(() => assertBuilt());
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('loads prom-client only when /metrics is first asked for, then serves the metrics', async () => {
    const child = spawn(process.execPath, [BIN, 'daemon'], {
      cwd: dir,
      env: daemonEnv(dir, { NODE_DEBUG: 'module' }),
    });
    let output = '';
    const waitFor = (pattern: RegExp): Promise<RegExpExecArray> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${output.slice(-2000)}`)), 20_000);
        const check = (): void => {
          const match = pattern.exec(output);
          if (match === null) return;
          clearTimeout(timer);
          resolve(match);
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        check();
      });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const [, url] = await waitFor(/status page, \/healthz and \/metrics on (http:\/\/127\.0\.0\.1:\d+)/);
      await waitFor(/"event":"idle\.released"/);
      const health = await fetch(`${url ?? ''}/healthz`);
      expect(health.status).toBe(200);
      expect(output).not.toMatch(/node_modules\/prom-client\//);

      const metrics = await fetch(`${url ?? ''}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^tokenwatch_database_up 1$/m);
      expect(output).toMatch(/node_modules\/prom-client\//);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});

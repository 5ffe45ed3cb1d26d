// /healthz of a running daemon whose database file is damaged on disk: the check at each scan (schema version and
// PRAGMA quick_check through a fresh connection) turns it 503 with the reason. The built binary, a real SQLite file.
import fs from 'node:fs';
import path from 'node:path';
import { runTokenwatch, startTokenwatch, type RunningProcess } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

interface Health {
  status: string;
  database: { ok: boolean; error?: string };
}

describe('/healthz and a damaged database file', () => {
  let dir: string;
  let daemon: RunningProcess | null = null;

  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(async () => {
    daemon?.child.kill('SIGKILL');
    if (daemon !== null) await daemon.exited;
    daemon = null;
    removeDir(dir);
  });

  async function health(url: string): Promise<{ code: number; body: Health }> {
    const response = await fetch(new URL('/healthz', url));
    return { code: response.status, body: (await response.json()) as Health };
  }

  it('turns 503 with the reason once the file is damaged, at the next scan', async () => {
    const dbPath = path.join(dir, 'tokenwatch.db');
    const env = {
      TOKENWATCH_DB: dbPath,
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'info',
      TOKENWATCH_SCHEDULE: '*/1 * * * * *',
    };
    // Enough tokens (with notes) to fill several pages of the tokens table.
    const csv = path.join(dir, 'tokens.csv');
    fs.writeFileSync(csv, ['name,expires,notes', ...Array.from({ length: 40 }, (_, i) => `Token ${i},2099-01-01,${'x'.repeat(500)}`)].join('\n'));
    expect((await runTokenwatch(['import', '--csv', csv], env, dir)).code).toBe(0);
    daemon = startTokenwatch(['daemon'], env, dir);
    await daemon.waitFor(/"event":"scan\.done"/);
    const url = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(daemon.stdout())?.[1] ?? '';
    expect(await health(url)).toMatchObject({ code: 200, body: { status: 'ok', database: { ok: true } } });

    // Scribble over every page but the first (the header and schema stay readable).
    const size = fs.statSync(dbPath).size;
    const handle = fs.openSync(dbPath, 'r+');
    fs.writeSync(handle, Buffer.alloc(size - 4096, 0xab), 0, size - 4096, 4096);
    fs.closeSync(handle);

    // Scans run every second: poll until health changes (or 10 s pass).
    let damaged = await health(url);
    for (const end = Date.now() + 10_000; damaged.code === 200 && Date.now() < end; damaged = await health(url)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(damaged.code).toBe(503);
    expect(damaged.body.status).toBe('database-unavailable');
    expect(damaged.body.database.error).toMatch(/damaged|malformed/);
  }, 60_000);
});

// The daemon binary syncs its sources before each scan (a token dropped in the folder is registered and reminded of
// in the same pass), and shows each source's last success in /healthz, /metrics and the status page.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { startTokenwatch, type RunningProcess } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

describe('the daemon with a token folder', () => {
  let dir: string;
  let daemon: RunningProcess | null = null;
  afterEach(async () => {
    if (daemon !== null && daemon.child.exitCode === null) {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
    daemon = null;
    removeDir(dir);
  });

  it('registers a dropped file and reminds of it in its first scan, and reports the source over HTTP', async () => {
    dir = makeTempDir();
    const folder = path.join(dir, 'tokens');
    fs.mkdirSync(folder);
    // The daemon runs on the real clock: a token five days from expiry is due for its 7-day reminder.
    const expDate = DateTime.utc().plus({ days: 5 }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZZ");
    fs.writeFileSync(path.join(folder, 'soon.vpptoken'), makeTokenFile({ token: 'daemon-sync-secret-value', expDate, orgName: 'Soon Org' }));
    const previewDir = path.join(dir, 'preview');
    daemon = startTokenwatch(
      ['daemon'],
      {
        TOKENWATCH_DB: path.join(dir, 'data', 'tokenwatch.db'),
        TOKENWATCH_TZ: 'Europe/Paris',
        TOKENWATCH_PREVIEW_DIR: previewDir,
        TOKENWATCH_LOG_LEVEL: 'warn',
        TOKENWATCH_HTTP: '127.0.0.1:0',
        TOKENWATCH_TOKEN_DIR: folder,
      },
      dir,
    );
    await daemon.waitFor(/next scheduled scan/);
    const url = /on (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(daemon.stdout())?.[1] ?? '';
    type Health = { lastScan: { queued: number } | null; sources: { name: string; lastSuccessAt: string | null; failures: number }[] };
    let health: Health = { lastScan: null, sources: [] };
    for (let i = 0; i < 100 && health.lastScan === null; i += 1) {
      health = (await (await fetch(`${url}healthz`)).json()) as Health;
      if (health.lastScan === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health.lastScan?.queued).toBe(1);
    expect(health.sources).toEqual([expect.objectContaining({ name: 'folder', failures: 0 })]);
    expect(health.sources[0]?.lastSuccessAt).not.toBeNull();
    const preview = fs.readdirSync(previewDir).map((name) => fs.readFileSync(path.join(previewDir, name), 'utf8')).join('\n');
    expect(preview).toContain('Soon Org');

    const metrics = await (await fetch(`${url}metrics`)).text();
    expect(metrics).toMatch(/^tokenwatch_source_last_success_timestamp_seconds\{source="folder"\} \d{10}/m);
    expect(metrics).toMatch(/^tokenwatch_source_failures_total\{source="folder"\} 0$/m);
    const page = await (await fetch(url)).text();
    expect(page).toContain('<h2>Sources</h2>');
    expect(page).toMatch(/<tr class="source"><td>folder<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d<\/td><td class="outcome">ok<\/td><\/tr>/);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });
});

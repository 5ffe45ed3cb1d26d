// GET / from the real server: the read-only status page, server-rendered from the real SQLite file.
import { tokenInput } from '../support/engine';
import { startStatusServerOn, type RunningStatusServer } from '../support/status-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

const SCRIPT_NAME = '<script>alert(1)</script>';
const ATTRIBUTE_NAME = '"><img src=x onerror=alert(1)>';

/** The rows of the tokens table as text, one array of cells per row (tags stripped, entities kept). */
function tokenRows(html: string): string[][] {
  const body = /<table class="tokens">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr class="token">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => (cell[1] ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()),
  );
}

describe('GET / (the status page)', () => {
  let dir: string;
  let s: RunningStatusServer;
  beforeEach(async () => {
    dir = makeTempDir();
    s = await startStatusServerOn(dir);
    s.engine.clock.set('2027-01-10T10:00');
    s.engine.tokens.addMany(
      [
        tokenInput('Fine', '2027-12-01T10:00'),
        tokenInput('Soon', '2027-02-20T10:00'),
        tokenInput('Urgent', '2027-01-14T10:00'),
        tokenInput('Gone', '2027-01-05T10:00'),
        tokenInput(SCRIPT_NAME, '2027-06-01T10:00'),
        tokenInput(ATTRIBUTE_NAME, '2027-07-01T10:00'),
      ],
      s.engine.clock.now(),
    );
    s.engine.tokens.mute('Fine', null, s.engine.clock.now());
  });
  afterEach(async () => {
    await s.close();
    removeDir(dir);
  });

  it('lists every token, soonest expiry first, with its state, time-left bar, expiry, next reminder and last reminder sent', async () => {
    await s.startAndScan();
    const page = await s.get('/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(tokenRows(page.body)).toEqual([
      ['Gone VPP', 'Expired', 'expired 5 days ago', '2027-01-05', 'expired alert (+7 days) on 2027-01-12', 'expired alert, 2027-01-10 (slack)'],
      ['Urgent VPP', 'Critical', '4 days left', '2027-01-14', 'expired alert on 2027-01-14', '7-day reminder, 2027-01-10 (slack)'],
      ['Soon VPP', 'Warning', '41 days left', '2027-02-20', '30-day reminder on 2027-01-21', '60-day reminder, 2027-01-10 (slack)'],
      ['&lt;script&gt;alert(1)&lt;/script&gt; VPP', 'OK', '142 days left', '2027-06-01', '60-day reminder on 2027-04-02', 'none yet'],
      ['&quot;&gt;&lt;img src=x onerror=alert(1)&gt; VPP', 'OK', '172 days left', '2027-07-01', '60-day reminder on 2027-05-02', 'none yet'],
      ['Fine VPP', 'OK', '325 days left', '2027-12-01', 'muted', 'none yet'],
    ]);
    // Bars: the share of the 12 months left, coloured by state.
    expect(page.body).toContain('<span class="fill state-expired" style="width: 0.0%">');
    expect(page.body).toContain('<span class="fill state-critical" style="width: 1.1%">');
    expect(page.body).toContain('<span class="fill state-ok" style="width: 89.0%">');
    expect(page.body).toMatch(/<li class="state-ok"><strong>3<\/strong>OK<\/li>/);
    expect(page.body).toMatch(/<li class="state-expired"><strong>1<\/strong>Expired<\/li>/);
    // The last reminders: three alerts, each to email and Slack.
    expect(page.body.match(/<tr class="delivery">/g)).toHaveLength(6);
    expect(page.body).toContain('<td>ops@example.test</td>');
    expect(page.body).toContain('Sending: this daemon holds the lease · last scan 2027-01-10 10:00 (ok,');
  });

  it('escapes hostile token names everywhere, and the page carries no script and forbids any', async () => {
    await s.startAndScan();
    const page = await s.get('/');
    expect(page.body).not.toContain(SCRIPT_NAME);
    expect(page.body).not.toContain(ATTRIBUTE_NAME);
    expect(page.body).not.toContain('<img');
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    const response = await fetch(s.server.url);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('shows failed deliveries with their reason', async () => {
    s.slack.script({ method: 'chat.postMessage', ok: false, error: 'channel_not_found' });
    await s.startAndScan();
    const page = await s.get('/');
    expect(page.body).toMatch(/<span class="failed">failed<\/span>: [^<]*channel_not_found/);
  });

  it('answers 404 for other paths, 405 for other methods, and HEAD without a body', async () => {
    expect((await s.get('/admin')).status).toBe(404);
    const post = await s.get('/', { method: 'POST' });
    expect(post.status).toBe(405);
    const head = await s.get('/healthz', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
  });

  it('answers 503 saying so while the database cannot be read', async () => {
    await s.daemon.stop();
    s.engine.close();
    const page = await s.get('/');
    expect(page.status).toBe(503);
    expect(page.body).toMatch(/^tokenwatch: the registry database is unavailable \(/);
  });
});

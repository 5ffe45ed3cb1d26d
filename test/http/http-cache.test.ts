// Cheap under load on the real server: the page and /metrics are computed once per registry change (another
// connection's commit via PRAGMA data_version, the daemon's own work via its generation counter) or per few seconds,
// served gzipped to clients that take it, and answered 304 to a matching If-None-Match (RFC 9110 §13.1.2, §15.4.5).
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { openDatabase } from '../../src/store/database';
import { TokenRepository } from '../../src/store/token-repository';
import { CACHE_MAX_AGE_MS } from '../../src/http/server';
import { tokenInput } from '../support/engine';
import { parseScrape } from '../support/prometheus';
import { startStatusServerOn, type RunningStatusServer } from '../support/status-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A GET with exactly the headers given (fetch would add Accept-Encoding and decompress by itself). */
function rawGet(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** The token names in the page's table, in order. */
const names = (html: string): string[] => [...html.matchAll(/<td class="name">([^<]*)</g)].map((m) => m[1] ?? '');

describe('the cached page and scrape', () => {
  let dir: string;
  let s: RunningStatusServer;
  beforeEach(async () => {
    dir = makeTempDir();
    s = await startStatusServerOn(dir);
    s.engine.clock.set('2027-01-10T10:00');
    s.engine.tokens.add(tokenInput('First', '2027-03-01T10:00'), s.engine.clock.now());
  });
  afterEach(async () => {
    await s.close();
    removeDir(dir);
  });
  const url = (p: string): string => new URL(p, s.server.url).href;

  it('serves the same page until the registry changes: at once for another connection\'s commit and for the daemon\'s scan', async () => {
    expect(names((await s.get('/')).body)).toEqual(['First']);
    // Written on the server's own connection, without the daemon: nothing tells the cache, so the page stays as it was…
    s.engine.tokens.add(tokenInput('Same connection', '2027-02-01T10:00'), s.engine.clock.now());
    expect(names((await s.get('/')).body)).toEqual(['First']);
    // …until the daemon's scan bumps its generation.
    await s.startAndScan();
    expect(names((await s.get('/')).body)).toEqual(['Same connection', 'First']);

    // Another process's commit (the CLI) changes SQLite's data_version: seen at the next request.
    const other = openDatabase(path.join(dir, 'tokenwatch.db'));
    try {
      new TokenRepository(other).add(tokenInput('Other process', '2027-01-20T10:00'), s.engine.clock.now());
    } finally {
      other.close();
    }
    expect(names((await s.get('/')).body)).toEqual(['Other process', 'Same connection', 'First']);
  });

  it('computes the page again once it is older than the age limit, even when nothing says the registry changed', async () => {
    await s.get('/');
    s.engine.tokens.add(tokenInput('Quiet', '2027-02-01T10:00'), s.engine.clock.now());
    s.engine.clock.advance({ seconds: CACHE_MAX_AGE_MS / 1000 - 1 });
    expect(names((await s.get('/')).body)).toEqual(['First']);
    s.engine.clock.advance({ seconds: 1 });
    expect(names((await s.get('/')).body)).toEqual(['Quiet', 'First']);
  });

  it('answers 304 without a body to a matching If-None-Match, and 200 with a new ETag once the page changed', async () => {
    const first = await rawGet(url('/'));
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toBe('Accept-Encoding');

    const again = await rawGet(url('/'), { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await rawGet(url('/'), { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    expect((await rawGet(url('/'), { 'if-none-match': '"other"' })).status).toBe(200);

    await s.startAndScan();
    const changed = await rawGet(url('/'), { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('sends the page and /metrics gzipped to a client that takes gzip, the same bytes once unzipped, and plain otherwise', async () => {
    for (const p of ['/', '/metrics']) {
      const plain = await rawGet(url(p));
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
      const gzipped = await rawGet(url(p), { 'accept-encoding': 'gzip, deflate, br' });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
      expect(zlib.gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
      expect((await rawGet(url(p), { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding']).toBeUndefined();
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await rawGet(url('/'), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe((await rawGet(url('/'))).headers.etag);
  });

  it('serves one scrape until the registry changes, with the event loop\'s lag among the Node.js metrics', async () => {
    const first = parseScrape((await s.get('/metrics')).body);
    expect(first.value('tokenwatch_tokens', { state: 'ok' })).toBe(0);
    expect(first.samples('nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect(first.samples('nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    s.engine.tokens.add(tokenInput('Later', '2027-12-01T10:00'), s.engine.clock.now());
    expect(parseScrape((await s.get('/metrics')).body).value('tokenwatch_tokens', { state: 'ok' })).toBe(0);
    await s.startAndScan();
    expect(parseScrape((await s.get('/metrics')).body).value('tokenwatch_tokens', { state: 'ok' })).toBe(1);
  });
});

describe('the paged token table', () => {
  let dir: string;
  let s: RunningStatusServer;
  beforeAll(async () => {
    dir = makeTempDir();
    s = await startStatusServerOn(dir);
    s.engine.clock.set('2027-01-10T10:00');
    // 120 tokens expiring one day apart from 2027-01-01 (already expired) on: "Token 000" is the most urgent.
    const inputs = Array.from({ length: 120 }, (_, i) => {
      const day = new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10);
      return tokenInput(`Token ${String(i).padStart(3, '0')}${i % 10 === 7 ? ' Acme' : ''}`, `${day}T10:00`);
    });
    s.engine.tokens.addMany([...inputs, tokenInput('100%_match', '2027-12-30T10:00')], s.engine.clock.now());
  });
  afterAll(async () => {
    await s.close();
    removeDir(dir);
  });

  it('shows the 50 most urgent tokens first, with where they stand in the whole list and a link to the next page', async () => {
    const page = await s.get('/');
    const shown = names(page.body);
    expect(shown).toHaveLength(50);
    expect(shown[0]).toBe('Token 000');
    expect(shown[49]).toBe('Token 049');
    expect(page.body).toContain('Showing 1–50 of 121 tokens, the most urgent first.');
    expect(page.body).toContain('<span>Page 1 of 3</span>');
    expect(page.body).toContain('<a rel="next" href="?page=2">Next</a>');
    expect(page.body).not.toContain('rel="prev"');
  });

  it('shows later pages, and the last page for a page past the end', async () => {
    const second = await s.get('/?page=2');
    expect(names(second.body)[0]).toBe('Token 050');
    expect(second.body).toContain('<a rel="prev" href="?">Previous</a>');
    for (const p of ['/?page=3', '/?page=999']) {
      const last = await s.get(p);
      expect(names(last.body)).toHaveLength(21);
      expect(names(last.body)[20]).toBe('100%_match');
      expect(last.body).toContain('Showing 101–121 of 121 tokens');
    }
  });

  it('keeps the page the same size whatever the registry\'s size', async () => {
    const sizes = await Promise.all(['/', '/?page=2'].map(async (p) => (await s.get(p)).body.length));
    expect(Math.abs((sizes[0] ?? 0) - (sizes[1] ?? 0))).toBeLessThan(500);
  });

  it('searches token names, ignoring case, with % and _ taken literally, and pages the matches', async () => {
    const acme = await s.get('/?q=acme');
    expect(names(acme.body)).toEqual(Array.from({ length: 12 }, (_, i) => `Token ${String(i * 10 + 7).padStart(3, '0')} Acme`));
    expect(acme.body).toContain('Showing 1–12 of 12 tokens whose name contains “acme”');
    expect(acme.body).toContain('<input type="search" name="q" value="acme"');
    expect(names((await s.get('/?q=%25_')).body)).toEqual(['100%_match']);
    const none = await s.get('/?q=nothing-like-it');
    expect(names(none.body)).toEqual([]);
    expect(none.body).toContain('No token name contains this text.');
  });

  it('escapes the search text wherever the page shows it', async () => {
    const page = await s.get(`/?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('refuses a page that is not a whole number from 1 with 400 and one line', async () => {
    for (const bad of ['0', '-1', 'two', '1.5']) {
      const response = await s.get(`/?page=${bad}`);
      expect(response.status).toBe(400);
      expect(response.body).toBe(`page: "${bad}" is not a page number (expected a whole number from 1)\n`);
    }
  });
});

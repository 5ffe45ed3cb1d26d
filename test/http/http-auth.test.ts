// Authentication on the real server: the page and /metrics ask for the bearer token or Basic credentials (401 with
// WWW-Authenticate per RFC 6750 §3 and RFC 7617 §2 otherwise), /healthz stays open unless asked, the security headers
// stay on every answer, and failed attempts are logged without the credential.
import { parsePasswordHash } from '../../src/config/password-hash-format';
import { hashPassword } from '../../src/http/password-hash';
import type { HttpAccess } from '../../src/http/exposure';
import { createMemoryLogger } from '../../src/log';
import { startStatusServerOn, type RunningStatusServer } from '../support/status-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

const TOKEN = 'Zx8cV7bN6mQ5wE4rT3yU2iO1pA0sD9fG';
const PASSWORD = 'a long Basic password';
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('authentication on the HTTP edge', () => {
  let dir: string;
  let s: RunningStatusServer | null = null;
  let access: HttpAccess;
  let logger: ReturnType<typeof createMemoryLogger>;
  beforeAll(async () => {
    const passwordHash = parsePasswordHash(await hashPassword(PASSWORD, 10), 'TEST');
    access = { auth: { bearerToken: TOKEN, basic: { user: 'ops', passwordHash } }, isPublic: false, isHealthzProtected: false };
  });
  beforeEach(() => {
    dir = makeTempDir();
    logger = createMemoryLogger();
  });
  afterEach(async () => {
    await s?.close();
    s = null;
    removeDir(dir);
  });
  const start = async (overrides: Partial<HttpAccess> = {}): Promise<RunningStatusServer> => {
    s = await startStatusServerOn(dir, { access: { ...access, ...overrides }, logger });
    return s;
  };
  const get = async (path: string, authorization?: string): Promise<Response> =>
    fetch(new URL(path, s?.server.url), authorization === undefined ? {} : { headers: { authorization } });

  it('answers 401 with both challenges and the security headers to a request without credentials, for the page and /metrics', async () => {
    await start();
    for (const path of ['/', '/metrics', '/?page=2']) {
      const response = await get(path);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="tokenwatch", Basic realm="tokenwatch", charset="UTF-8"');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).not.toContain('tokenwatch status');
    }
  });

  it('serves the page and /metrics to the bearer token and to the Basic user and password', async () => {
    await start();
    const page = await get('/', `Bearer ${TOKEN}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>tokenwatch status</title>');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const metrics = await get('/metrics', basic('ops', PASSWORD));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tokenwatch_tokens');
  });

  it('refuses a wrong token, a wrong password, a wrong user and a wrong scheme with 401', async () => {
    await start();
    for (const authorization of [`Bearer ${TOKEN.slice(0, -1)}`, basic('ops', 'wrong'), basic('admin', PASSWORD), `Token ${TOKEN}`, `Basic ${TOKEN}`]) {
      const response = await get('/metrics', authorization);
      expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
    }
    const wrongToken = await get('/', `Bearer nottheright-token`);
    expect(wrongToken.headers.get('www-authenticate')).toContain('Bearer realm="tokenwatch", error="invalid_token"');
  });

  it('leaves /healthz open by default and closes it when asked', async () => {
    await start();
    expect((await get('/healthz')).status).toBe(200);
    await s?.close();
    s = null;
    await start({ isHealthzProtected: true });
    expect((await get('/healthz')).status).toBe(401);
    expect((await get('/healthz', `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('logs a failed attempt with its path, reason and address but never the credential, and at most one line a second', async () => {
    const server = await start();
    const attempt = basic('ops', 'guessed-password-123');
    await get('/metrics', attempt);
    await get('/', `Bearer ${TOKEN}x`);
    await get('/', 'Token abc');
    let lines = logger.lines.filter((l) => l.event === 'http.unauthorized');
    expect(lines).toEqual([{ level: 'warn', event: 'http.unauthorized', fields: { path: '/metrics', reason: 'wrong-credentials', remote: '127.0.0.1', notLoggedBefore: 0 } }]);
    server.engine.clock.advance({ seconds: 2 });
    await get('/', `Bearer ${TOKEN}x`);
    lines = logger.lines.filter((l) => l.event === 'http.unauthorized');
    expect(lines[1]?.fields).toEqual({ path: '/', reason: 'wrong-token', remote: '127.0.0.1', notLoggedBefore: 2 });
    const logged = JSON.stringify(logger.lines);
    for (const secret of [attempt.slice(6), 'guessed-password-123', TOKEN]) expect(logged).not.toContain(secret);
  });
});

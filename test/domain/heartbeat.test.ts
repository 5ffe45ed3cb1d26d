// The heartbeat's pure part and its settings: which monitor a URL is, the request each signal becomes for
// Healthchecks.io and Uptime Kuma, and TOKENWATCH_HEARTBEAT_* read as secrets (never echoed, never from the file).
import fs from 'node:fs';
import path from 'node:path';
import { describeConfig, loadConfig } from '../../src/config';
import { detectHeartbeatKind, heartbeatRequest, parseHeartbeatUrl } from '../../src/domain/heartbeat';
import { InputError } from '../../src/errors';
import { makeTempDir, removeDir } from '../support/temp-dir';

const HC = 'https://hc-ping.com/5f0c2a34-9d3e-4b7a-8c21-0e6f4d2b9a17';
const KUMA = 'https://status.example.test/api/push/Xk3pQ9vLmT?status=up&msg=OK&ping=';

describe('the heartbeat requests', () => {
  it('tells an Uptime Kuma push URL from a Healthchecks.io ping URL', () => {
    expect(detectHeartbeatKind(KUMA)).toBe('uptime-kuma');
    expect(detectHeartbeatKind('http://kuma.lan:3001/api/push/abc')).toBe('uptime-kuma');
    expect(detectHeartbeatKind(HC)).toBe('healthchecks');
    expect(detectHeartbeatKind('https://checks.example.test/ping/ping-key/tokenwatch-daemon')).toBe('healthchecks');
  });

  it('gives Healthchecks.io POSTs to the ping URL, /start and /fail, with the message as the logged body', () => {
    expect(heartbeatRequest('healthchecks', HC, 'start', 'started')).toEqual({ method: 'POST', url: `${HC}/start`, body: 'started' });
    expect(heartbeatRequest('healthchecks', `${HC}/`, 'success', 'done')).toEqual({ method: 'POST', url: HC, body: 'done' });
    expect(heartbeatRequest('healthchecks', HC, 'fail', 'why')).toEqual({ method: 'POST', url: `${HC}/fail`, body: 'why' });
    // A slug URL that auto-provisions its check keeps its query after the suffix.
    expect(heartbeatRequest('healthchecks', 'https://hc-ping.com/key/tokenwatch?create=1', 'fail', 'x')?.url).toBe('https://hc-ping.com/key/tokenwatch/fail?create=1');
  });

  it('gives Uptime Kuma a GET with status, msg and ping set in place of the ones its push URL shows, and no start', () => {
    expect(heartbeatRequest('uptime-kuma', KUMA, 'start', 'started')).toBeNull();
    const up = new URL(heartbeatRequest('uptime-kuma', KUMA, 'success', 'tokenwatch scan done', 1234.4)?.url ?? '');
    expect(up.pathname).toBe('/api/push/Xk3pQ9vLmT');
    expect([...up.searchParams]).toEqual([['status', 'up'], ['msg', 'tokenwatch scan done'], ['ping', '1234']]);
    const down = new URL(heartbeatRequest('uptime-kuma', KUMA, 'fail', 'no such table: tokens', 100_000_000)?.url ?? '');
    expect(down.searchParams.get('status')).toBe('down');
    expect(down.searchParams.get('msg')).toBe('no such table: tokens');
    // Uptime Kuma refuses a ping above 24 hours.
    expect(down.searchParams.get('ping')).toBe('86400000');
    expect(new URL(heartbeatRequest('uptime-kuma', KUMA, 'fail', 'x'.repeat(1000))?.url ?? '').searchParams.get('msg')).toHaveLength(250);
  });
});

describe('the heartbeat settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));
  const load = (env: Record<string, string>, configFile?: string) => loadConfig({ env: { TOKENWATCH_TZ: 'Europe/Paris', ...env }, cwd: dir, configFile });

  it('reads the URL from the environment or its _FILE, redacts it, and shows it only as set', () => {
    const config = load({ TOKENWATCH_HEARTBEAT_URL: KUMA });
    expect(config).toMatchObject({ heartbeatUrl: KUMA, heartbeatKind: null, heartbeatTimeoutSeconds: 10 });
    expect(config.secrets).toContain(KUMA);
    expect(describeConfig(config)['heartbeatUrl']).toBe('set');
    expect(JSON.stringify(describeConfig(config))).not.toContain('Xk3pQ9vLmT');
    const file = path.join(dir, 'heartbeat-url');
    fs.writeFileSync(file, `${HC}\n`);
    expect(load({ TOKENWATCH_HEARTBEAT_URL_FILE: file, TOKENWATCH_HEARTBEAT_KIND: 'healthchecks' })).toMatchObject({ heartbeatUrl: HC, heartbeatKind: 'healthchecks' });
  });

  it('refuses a bad URL in one line that does not repeat it, and a URL in the config file as a secret', () => {
    const secret = 'ftp://hc-ping.com/5f0c2a34-secret';
    expect(() => load({ TOKENWATCH_HEARTBEAT_URL: secret })).toThrow(InputError);
    let message = '';
    try {
      load({ TOKENWATCH_HEARTBEAT_URL: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^TOKENWATCH_HEARTBEAT_URL: not an http\(s\) URL \(expected the ping URL of a Healthchecks\.io check/);
    expect(message).not.toContain('5f0c2a34');
    expect(message.split('\n')).toHaveLength(1);
    expect(() => parseHeartbeatUrl('not a url at all', 'X')).toThrow(/^X: not a URL \(/);

    const file = path.join(dir, 'tokenwatch.json');
    fs.writeFileSync(file, JSON.stringify({ heartbeatUrl: HC }));
    expect(() => load({}, file)).toThrow(/"heartbeatUrl" is a secret and is not read from the config file/);
    expect(() => load({ TOKENWATCH_HEARTBEAT_KIND: 'statuscake' })).toThrow(/^TOKENWATCH_HEARTBEAT_KIND: "statuscake" is not a heartbeat kind \(expected healthchecks or uptime-kuma/);
    expect(() => load({ TOKENWATCH_HEARTBEAT_TIMEOUT_SECONDS: '0' })).toThrow(/^TOKENWATCH_HEARTBEAT_TIMEOUT_SECONDS: "0" is not valid \(expected a whole number from 1 to 120\)/);
  });
});

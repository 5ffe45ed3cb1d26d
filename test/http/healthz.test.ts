// GET /healthz from the real server, on a real SQLite file, with a daemon driven by an injected clock.
import { once } from 'node:events';
import { tokenInput } from '../support/engine';
import { startStatusServerOn, type RunningStatusServer } from '../support/status-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

describe('GET /healthz', () => {
  let dir: string;
  const running: RunningStatusServer[] = [];
  const start = async (options = {}): Promise<RunningStatusServer> => {
    const server = await startStatusServerOn(dir, options);
    running.push(server);
    return server;
  };
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(async () => {
    for (const server of running.splice(0).reverse()) await server.close();
    removeDir(dir);
  });

  type HealthBody = Record<string, unknown> & {
    lastScan: { durationSeconds: number; error: string | null };
    database: { error?: string };
  };
  const health = async (s: RunningStatusServer) => {
    const response = await s.get('/healthz');
    expect(response.type).toBe('application/json; charset=utf-8');
    return { status: response.status, body: JSON.parse(response.body) as HealthBody };
  };

  it('answers 200 with the database ok, the lease held, the last scan time and result, and the next scan time', async () => {
    const s = await start();
    s.engine.clock.set('2027-01-10T10:00');
    s.engine.tokens.add(tokenInput('Acme', '2027-01-15T10:00'), s.engine.clock.now());
    await s.startAndScan();
    const { status, body } = await health(s);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      time: '2027-01-10T10:00:00.000+01:00',
      database: { ok: true },
      lease: { held: true, holder: 'host-a:1:a', self: 'host-a:1:a' },
      scanning: false,
      lastScan: { startedAt: '2027-01-10T10:00:00.000+01:00', result: 'ok', error: null, queued: 1, sent: 2, failed: 0 },
      lastSuccessfulScanAt: '2027-01-10T10:00:00.000+01:00',
      nextScanAt: '2027-01-11T09:00:00.000+01:00',
      overdue: false,
    });
    expect(body.lastScan.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 once a scheduled scan is more than five minutes late, and 200 again after a scan', async () => {
    const s = await start();
    s.engine.clock.set('2027-01-10T10:00');
    await s.startAndScan();
    s.engine.clock.set('2027-01-11T09:05');
    expect((await health(s)).status).toBe(200);
    s.engine.clock.set('2027-01-11T09:05:01');
    const late = await health(s);
    expect(late.status).toBe(503);
    expect(late.body).toMatchObject({ status: 'scan-overdue', overdue: true, nextScanAt: '2027-01-11T09:00:00.000+01:00' });

    await s.daemon.runScan('schedule');
    const recovered = await health(s);
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ status: 'ok', nextScanAt: '2027-01-12T09:00:00.000+01:00' });
  });

  it('answers 503 with the reason when the last scan failed, and 200 after the next one works', async () => {
    const s = await start();
    s.engine.clock.set('2027-01-10T10:00');
    await s.startAndScan();
    s.engine.db.exec('ALTER TABLE tokens RENAME TO tokens_away');
    const failed = once(s.daemon, 'scan:failed');
    void s.daemon.runScan('schedule');
    await failed;
    const { status, body } = await health(s);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'scan-failed', database: { ok: true }, lastScan: { result: 'failed' } });
    expect(body.lastScan.error).toMatch(/no such table: tokens/);
    expect(body['lastSuccessfulScanAt']).toBe('2027-01-10T10:00:00.000+01:00');

    s.engine.db.exec('ALTER TABLE tokens_away RENAME TO tokens');
    await s.daemon.runScan('schedule');
    expect((await health(s)).status).toBe(200);
  });

  it('answers 200 "standby" on a daemon waiting for the lease another daemon holds', async () => {
    const active = await start({ holder: 'host-a:1:a' });
    active.engine.clock.set('2027-01-10T10:00');
    await active.startAndScan();
    const standby = await start({ holder: 'host-b:2:b' });
    standby.engine.clock.set('2027-01-10T10:00');
    const waiting = once(standby.daemon, 'lease:waiting');
    standby.daemon.start();
    await waiting;
    const { status, body } = await health(standby);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'standby',
      lease: { held: false, holder: 'host-a:1:a', self: 'host-b:2:b' },
      lastScan: null,
      nextScanAt: null,
      overdue: false,
    });
  });

  it('answers 503 when the database cannot be read', async () => {
    const s = await start();
    s.engine.clock.set('2027-01-10T10:00');
    await s.startAndScan();
    await s.daemon.stop();
    s.engine.close();
    const { status, body } = await health(s);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'database-unavailable', database: { ok: false } });
    expect(body.database.error).toMatch(/database connection is not open/);
  });
});

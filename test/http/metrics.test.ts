// GET /metrics from the real server: Prometheus text, figures read from the real SQLite file at scrape time.
import { createMetrics } from '../../src/http/metrics';
import { RegistryStats } from '../../src/store/registry-stats';
import { tokenInput } from '../support/engine';
import { parseScrape, type Scrape } from '../support/prometheus';
import { startStatusServerOn, type RunningStatusServer } from '../support/status-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

const HOSTILE = '<script>alert(1)</script> "quoted" \\ back';

describe('GET /metrics', () => {
  let dir: string;
  let s: RunningStatusServer | null = null;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(async () => {
    await s?.close();
    s = null;
    removeDir(dir);
  });

  async function scrape(server: RunningStatusServer): Promise<Scrape> {
    const response = await server.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseScrape(response.body);
  }

  /** Five tokens in every state; the scan's Slack post for one fails for good and one email is deferred (451). */
  async function registryWithDeliveries(): Promise<RunningStatusServer> {
    const server = await startStatusServerOn(dir);
    server.engine.clock.set('2027-01-10T10:00');
    const now = server.engine.clock.now();
    server.engine.tokens.addMany(
      [
        tokenInput('Fine', '2027-12-01T10:00'),
        tokenInput(HOSTILE, '2027-06-01T10:00'),
        tokenInput('Soon', '2027-02-20T10:00'),
        tokenInput('Urgent', '2027-01-14T10:00'),
        tokenInput('Gone', '2027-01-05T10:00'),
      ],
      now,
    );
    server.slack.script({ method: 'chat.postMessage', ok: false, error: 'channel_not_found' });
    server.smtp.failNext(1, { code: 451 });
    await server.startAndScan();
    return server;
  }

  it('parses as Prometheus text with tokens per state, days left per token, reminders per channel, the backlog and the scan', async () => {
    s = await registryWithDeliveries();
    const m = await scrape(s);
    expect(m.value('tokenwatch_database_up')).toBe(1);
    expect(m.type('tokenwatch_tokens')).toBe('GAUGE');
    expect(m.samples('tokenwatch_tokens').sort((a, b) => (a.labels['state'] ?? '').localeCompare(b.labels['state'] ?? ''))).toEqual([
      { labels: { state: 'critical' }, value: 1 },
      { labels: { state: 'expired' }, value: 1 },
      { labels: { state: 'ok' }, value: 2 },
      { labels: { state: 'warning' }, value: 1 },
    ]);
    expect(m.value('tokenwatch_token_days_left', { token: 'Urgent', kind: 'vpp' })).toBe(4);
    expect(m.value('tokenwatch_token_days_left', { token: 'Gone', kind: 'vpp' })).toBe(-5);
    expect(m.value('tokenwatch_token_days_left', { token: HOSTILE, kind: 'vpp' })).toBe(142);
    expect(m.value('tokenwatch_token_days_left_omitted')).toBe(0);

    // Three reminders (t60, t7, expired) to email and Slack: one Slack post refused for good, one email deferred.
    expect(m.type('tokenwatch_reminders_sent_total')).toBe('COUNTER');
    expect(m.value('tokenwatch_reminders_sent_total', { channel: 'email' })).toBe(2);
    expect(m.value('tokenwatch_reminders_sent_total', { channel: 'slack' })).toBe(2);
    expect(m.value('tokenwatch_reminders_failed', { channel: 'slack' })).toBe(1);
    expect(m.value('tokenwatch_reminders_failed', { channel: 'email' })).toBe(0);
    expect(m.value('tokenwatch_reminders_retrying', { channel: 'email' })).toBe(1);
    expect(m.value('tokenwatch_outbox_pending', { channel: 'email' })).toBe(1);
    expect(m.value('tokenwatch_outbox_pending', { channel: 'slack' })).toBe(0);
    expect(m.value('tokenwatch_outbox_oldest_pending_age_seconds')).toBe(0);

    expect(m.value('tokenwatch_lease_held')).toBe(1);
    expect(m.value('tokenwatch_scans_total', { result: 'ok' })).toBe(1);
    expect(m.value('tokenwatch_scans_total', { result: 'failed' })).toBe(0);
    expect(m.value('tokenwatch_scan_duration_seconds')).toBeGreaterThan(0);
    expect(m.value('tokenwatch_last_scan_timestamp_seconds')).toBe(Date.parse('2027-01-10T09:00:00Z') / 1000);
    expect(m.value('tokenwatch_next_scan_timestamp_seconds')).toBe(Date.parse('2027-01-11T08:00:00Z') / 1000);
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0);

    s.engine.clock.advance({ minutes: 10 });
    expect((await scrape(s)).value('tokenwatch_outbox_oldest_pending_age_seconds')).toBe(600);
  });

  it('reads the reminder figures from the database, so they survive a restart', async () => {
    const first = await registryWithDeliveries();
    await first.close();
    s = await startStatusServerOn(dir);
    s.engine.clock.set('2027-01-10T10:05');
    const m = await scrape(s);
    expect(m.value('tokenwatch_reminders_sent_total', { channel: 'email' })).toBe(2);
    expect(m.value('tokenwatch_reminders_failed', { channel: 'slack' })).toBe(1);
    expect(m.value('tokenwatch_outbox_pending', { channel: 'email' })).toBe(1);
    // This daemon has not scanned yet: its scan figures say "none yet".
    expect(m.value('tokenwatch_scans_total', { result: 'failed' })).toBe(0);
    expect(m.value('tokenwatch_last_scan_timestamp_seconds')).toBe(0);
    expect(m.value('tokenwatch_lease_held')).toBe(0);
  });

  it('keeps one days-left series for the soonest-expiring tokens only, and counts the ones left out', async () => {
    s = await startStatusServerOn(dir);
    const now = s.engine.clock.now();
    s.engine.tokens.addMany(
      ['E', 'C', 'A', 'D', 'B'].map((name, i) => tokenInput(name, `2027-0${[5, 3, 1, 4, 2][i]}-15T10:00`)),
      now,
    );
    const stats = new RegistryStats(s.engine.db);
    const metrics = createMetrics({
      clock: s.engine.clock,
      zone: 'Europe/Paris',
      thresholds: [60, 30, 7],
      stats: () => stats,
      daemonStatus: () => null,
      tokenSeriesLimit: 3,
    });
    const m = parseScrape(await metrics.render());
    expect(m.samples('tokenwatch_token_days_left').map((x) => x.labels['token'])).toEqual(['A', 'B', 'C']);
    expect(m.value('tokenwatch_token_days_left_omitted')).toBe(2);
    expect(m.samples('tokenwatch_tokens').reduce((sum, x) => sum + x.value, 0)).toBe(5);
  });

  it('says tokenwatch_database_up 0 and leaves out the registry figures when the database cannot be read', async () => {
    s = await registryWithDeliveries();
    await s.daemon.stop();
    s.engine.close();
    const m = await scrape(s);
    expect(m.value('tokenwatch_database_up')).toBe(0);
    expect(m.samples('tokenwatch_tokens')).toEqual([]);
    expect(m.samples('tokenwatch_reminders_sent_total')).toEqual([]);
  });
});

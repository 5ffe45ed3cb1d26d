// Issue 8, bounded retries per scan: a Slack server that keeps answering 429 or never answers, and an SMTP server that
// never answers, do not hold a scan longer than the configured bounds; what could not be sent stays queued and goes
// out once the server recovers. The channels and scan settings are built from a real configuration.
// Elapsed times are correctness bounds with a generous margin, not speed measurements.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { engineSettings } from '../../src/cli/engine-setup';
import { channelSettings, loadConfig, type Config } from '../../src/config';
import { deliverDue } from '../../src/engine/deliver';
import type { EngineDeps } from '../../src/engine/engine-settings';
import { scan } from '../../src/engine/scan';
import { PermanentDeliveryError } from '../../src/errors';
import { createChannels } from '../../src/notify/channels';
import { tokenInput, useEngineHarness } from '../support/engine';
import { sampleMessage } from '../support/messages';

const SLACK_TOKEN = 'xoxb-bounded-test';
/** Slack, Node and the test runner get this much on top of a bound before the test calls it held too long. */
const MARGIN_MS = 2000;

describe('bounded delivery per scan (issue 8)', () => {
  const h = useEngineHarness({ slackToken: SLACK_TOKEN, channels: () => new Map(), engine: { start: '2027-01-10T09:00' } });
  let deps: EngineDeps;

  /** Config from the environment as an administrator sets it, then channels and scan settings built from it. */
  function setUp(env: Record<string, string>): Config {
    const config = loadConfig({
      cwd: h.dir,
      env: {
        TOKENWATCH_TZ: 'Europe/Paris',
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        TOKENWATCH_SLACK_API_URL: h.slack.apiUrl,
        TOKENWATCH_SLACK_CHANNEL: '#mdm',
        // One message per token, so that each bound is counted in messages (digests are tested in digests.test.ts).
        TOKENWATCH_DIGEST_MIN: '0',
        ...env,
      },
    });
    h.channels = createChannels(channelSettings(config), h.engine.logger);
    deps = { ...h.engine.deps, channels: h.channels, settings: engineSettings(config) };
    return config;
  }

  function addTokens(count: number): void {
    for (let i = 1; i <= count; i += 1) h.engine.tokens.add(tokenInput(`Token ${i}`, `2027-01-${String(10 + i).padStart(2, '0')}T10:00`), h.engine.clock.now());
  }

  /** A delivery pass between scans, as the daemon's retry timer runs it, under the same budget. */
  const retry = () => deliverDue(deps);

  async function timed<T>(work: Promise<T>): Promise<{ value: T; elapsedMs: number }> {
    const started = performance.now();
    const value = await work;
    return { value, elapsedMs: performance.now() - started };
  }

  /** The token names in the posts Slack accepted (calls made while it answered normally). */
  function postedNames(from: number): string[] {
    return h.slack
      .callsTo('chat.postMessage')
      .slice(from)
      .map((call) => /"(Token \d+)"/.exec(String(call.args['text']))?.[1] ?? '?')
      .sort();
  }

  it('a Slack server that keeps answering 429 with a short Retry-After holds the scan no longer than the send bound; the rows stay queued and go out once it recovers', async () => {
    setUp({ TOKENWATCH_SEND_TIMEOUT_SECONDS: '3', TOKENWATCH_DELIVERY_BUDGET_SECONDS: '60' });
    addTokens(5);
    h.slack.keepAnswering({ method: 'chat.postMessage', status: 429, retryAfter: 1 });

    const { value: report, elapsedMs } = await timed(scan(deps));
    expect(elapsedMs).toBeLessThan(3000 + MARGIN_MS);
    expect(report.planned).toHaveLength(5);
    expect(report.delivery).toEqual({ sent: 0, retrying: 1, failed: 0 });
    // Two quick retries honouring Retry-After, then the rest of Slack's queue waits for the outbox.
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(3);
    const rows = h.engine.outbox.history().filter((entry) => entry.channel === 'slack');
    expect(rows).toHaveLength(5);
    expect(rows.every((entry) => entry.status === 'pending')).toBe(true);

    h.slack.keepAnswering(null);
    const before = h.slack.callsTo('chat.postMessage').length;
    h.engine.clock.advance({ seconds: 1 });
    expect((await retry()).sent).toBe(5);
    expect(postedNames(before)).toEqual(['Token 1', 'Token 2', 'Token 3', 'Token 4', 'Token 5']);
    expect(h.engine.outbox.countPending()).toBe(0);
  });

  it('a Slack server that answers 429 with a long Retry-After does not hold the scan at all; the row is retried when Slack said', async () => {
    setUp({ TOKENWATCH_SEND_TIMEOUT_SECONDS: '3' });
    addTokens(3);
    h.slack.keepAnswering({ method: 'chat.postMessage', status: 429, retryAfter: 3600 });

    const { value: report, elapsedMs } = await timed(scan(deps));
    expect(elapsedMs).toBeLessThan(MARGIN_MS);
    expect(report.delivery).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    const limited = h.engine.outbox.history().find((entry) => entry.attempts === 1);
    expect(limited?.nextAttemptAt.toMillis()).toBe(h.engine.clock.now().plus({ seconds: 3600 }).toMillis());

    h.slack.keepAnswering(null);
    const before = h.slack.callsTo('chat.postMessage').length;
    h.engine.clock.advance({ seconds: 3600 });
    expect((await retry()).sent).toBe(3);
    expect(postedNames(before)).toEqual(['Token 1', 'Token 2', 'Token 3']);
  });

  it('a Slack server that never answers: the delivery budget stops the pass, the rest stays queued untouched and goes out once it recovers', async () => {
    setUp({ TOKENWATCH_SEND_TIMEOUT_SECONDS: '1', TOKENWATCH_DELIVERY_BUDGET_SECONDS: '2' });
    addTokens(8);
    h.slack.keepAnswering({ method: 'chat.postMessage', hang: true });

    const { value: report, elapsedMs } = await timed(scan(deps));
    // Without the budget this pass would take 8 × 1 s; with it, the budget plus at most one send bound.
    expect(elapsedMs).toBeLessThan(2000 + 1000 + MARGIN_MS);
    expect(report.delivery.sent).toBe(0);
    expect(report.delivery.retrying).toBeGreaterThanOrEqual(1);
    expect(report.delivery.retrying).toBeLessThanOrEqual(4);
    const rows = h.engine.outbox.history().filter((entry) => entry.channel === 'slack');
    expect(rows).toHaveLength(8);
    expect(rows.every((entry) => entry.status === 'pending')).toBe(true);
    expect(rows.filter((entry) => entry.attempts === 0)).toHaveLength(8 - report.delivery.retrying);
    expect(h.engine.logger.lines.some((line) => line.event === 'delivery.budget_spent' && line.fields['leftQueued'] === 8 - report.delivery.retrying)).toBe(
      true,
    );

    h.slack.keepAnswering(null);
    const before = h.slack.callsTo('chat.postMessage').length;
    h.engine.clock.advance({ minutes: 2 });
    expect((await retry()).sent).toBe(8);
    expect(postedNames(before)).toEqual(['Token 1', 'Token 2', 'Token 3', 'Token 4', 'Token 5', 'Token 6', 'Token 7', 'Token 8']);
    expect(h.engine.outbox.countPending()).toBe(0);
  });

  it('an SMTP server that accepts the connection but never answers is bounded by the configured send timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      setUp({ TOKENWATCH_SMTP_URL: `smtp://127.0.0.1:${port}`, TOKENWATCH_SEND_TIMEOUT_SECONDS: '1' });
      const email = h.channels.get('email');
      if (email === undefined) throw new Error('email channel not configured');
      const started = performance.now();
      const outcome = await email.send('admin@example.test', sampleMessage()).then(
        () => null,
        (error: unknown) => error,
      );
      const elapsedMs = performance.now() - started;
      expect(outcome).toBeInstanceOf(Error);
      expect(outcome).not.toBeInstanceOf(PermanentDeliveryError);
      expect((outcome as Error).message).toMatch(/time/i);
      // The greeting timeout is the configured second (nodemailer's default would be 30 s).
      expect(elapsedMs).toBeGreaterThanOrEqual(900);
      expect(elapsedMs).toBeLessThan(1000 + MARGIN_MS);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

// The outbox under failures, through real servers: an SMTP server that refuses for several scans, a Slack API that
// rate-limits, errors and refuses. Every reminder is delivered exactly once once the servers are back.
import { scan } from '../../src/engine/scan';
import { deliverDue } from '../../src/engine/deliver';
import { Outbox } from '../../src/store/outbox';
import { tokenInput, useEngineHarness } from '../support/engine';

describe('the outbox under delivery failures', () => {
  const h = useEngineHarness({ slackToken: 'xoxb-test', engine: { mailTo: ['ops@example.test', 'it@example.test'], slackChannel: '#mdm', start: '2027-01-10T09:00' } });

  it('stores only the facts of a queued reminder and renders the message when it is sent', async () => {
    h.engine.tokens.add(tokenInput('Facts', '2027-01-15T10:00'), h.engine.clock.now());
    await scan({ ...h.engine.deps, channels: new Map() }); // nothing configured: every delivery waits in the outbox
    const rows = h.engine.db.prepare(`SELECT subject, payload, facts FROM outbox`).all() as { subject: string; payload: string; facts: string }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.payload).toBe('');
      expect(JSON.parse(row.facts)).toMatchObject({ kind: 'threshold', threshold: 7, token: { name: 'Facts' } });
      expect(row.subject).toBe('[tokenwatch] VPP token "Facts" expires in 5 days (2027-01-15)');
    }
    h.engine.clock.advance({ minutes: 1 });
    expect((await retry()).sent).toBe(3);
    expect(h.smtp.messages.map((m) => m.subject)).toEqual(Array(2).fill(rows[0]?.subject));
    expect(h.smtp.messages[0]?.text).toContain('Friday 15 January 2027, 10:00 CET (Europe/Paris), in 5 days');
    expect(h.slack.callsTo('chat.postMessage')[0]?.args['text']).toContain('"Facts"');
  });

  it('shows in history the subject that was sent, not the one stored when the reminder was queued days earlier', async () => {
    h.engine.tokens.add(tokenInput('Late', '2027-01-15T10:00'), h.engine.clock.now());
    await scan({ ...h.engine.deps, channels: new Map() });
    h.engine.clock.advance({ days: 2 });
    expect((await retry()).sent).toBe(3);
    const sent = '[tokenwatch] VPP token "Late" expires in 3 days (2027-01-15)';
    expect(h.smtp.messages.map((m) => m.subject)).toEqual([sent, sent]);
    expect(new Outbox(h.engine.db).history('Late').map((entry) => entry.subject)).toEqual([sent, sent, sent]);
  });

  it('still sends a row queued before facts were stored, with the message it was rendered with', async () => {
    h.engine.db
      .prepare(
        `INSERT INTO outbox (token_id, token_name, expires_at, alert, channel, recipient, subject, payload, status, next_attempt_at, created_at)
         VALUES (1, 'Old', 0, 't30', 'email', 'ops@example.test', 'Old subject', ?, 'pending', 0, 0)`,
      )
      .run(JSON.stringify({ subject: 'Old subject', text: 'Rendered long ago', html: '<p>Rendered long ago</p>', slack: { text: 'x', blocks: [] } }));
    expect((await retry()).sent).toBe(1);
    expect(h.smtp.messages.map((m) => [m.subject, m.text.trim()])).toEqual([['Old subject', 'Rendered long ago']]);
  });

  const retry = () =>
    deliverDue(h.engine.deps);

  it('retries email refused for several scans (hours apart) and then delivers each reminder exactly once', async () => {
    h.engine.tokens.add(tokenInput('A', '2027-01-15T10:00'), h.engine.clock.now());
    h.engine.tokens.add(tokenInput('B', '2027-02-05T10:00'), h.engine.clock.now());
    h.smtp.failNext(1000, { code: 421, stage: 'connect' });
    for (let day = 0; day < 4; day += 1) {
      const report = await scan(h.engine.deps);
      // Slack is fine and gets its two on the first scan: a failing channel never blocks the other.
      expect(report.delivery.sent).toBe(day === 0 ? 2 : 0);
      expect(report.delivery.retrying).toBe(4);
      h.engine.clock.advance({ hours: 2 });
    }
    expect(h.smtp.messages).toHaveLength(0);
    const pending = h.engine.outbox.history().filter((e) => e.channel === 'email');
    expect(pending.every((e) => e.status === 'pending' && e.attempts >= 2 && e.lastError !== null)).toBe(true);

    h.smtp.failNext(0, { code: 421, stage: 'connect' }); // the server is back
    h.engine.clock.advance({ hours: 2 });
    await scan(h.engine.deps);
    await scan(h.engine.deps);
    h.engine.clock.advance({ hours: 2 });
    await scan(h.engine.deps);
    expect(h.smtp.messages.map((m) => `${m.envelopeTo.join()} ${m.subject}`).sort()).toEqual([
      'it@example.test [tokenwatch] VPP token "A" expires in 5 days (2027-01-15)',
      'it@example.test [tokenwatch] VPP token "B" expires in 26 days (2027-02-05)',
      'ops@example.test [tokenwatch] VPP token "A" expires in 5 days (2027-01-15)',
      'ops@example.test [tokenwatch] VPP token "B" expires in 26 days (2027-02-05)',
    ]);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
    expect(h.engine.outbox.countPending()).toBe(0);
  });

  it('waits as long as Slack\'s Retry-After asks after a 429, then posts once', async () => {
    h.engine.tokens.add(tokenInput('A', '2027-01-15T10:00'), h.engine.clock.now());
    h.slack.script({ method: 'chat.postMessage', status: 429, retryAfter: 30 });
    const first = await scan(h.engine.deps);
    expect(first.delivery.retrying).toBe(1);
    const [entry] = h.engine.outbox.history().filter((e) => e.channel === 'slack');
    expect(entry?.nextAttemptAt.toMillis()).toBe(h.engine.clock.now().plus({ seconds: 30 }).toMillis());
    h.engine.clock.advance({ seconds: 29 });
    expect((await retry()).sent).toBe(0);
    h.engine.clock.advance({ seconds: 1 });
    expect((await retry()).sent).toBe(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
    const posted = h.slack.callsTo('chat.postMessage')[1];
    expect(posted?.args['channel']).toBe('#mdm');
    expect(String(posted?.args['text'])).toContain('A');
    expect(Array.isArray(posted?.args['blocks'])).toBe(true);
  });

  it('retries a Slack 500 with backoff at a later attempt once the quick retries of one send are spent', async () => {
    h.engine.tokens.add(tokenInput('A', '2027-01-15T10:00'), h.engine.clock.now());
    h.slack.keepAnswering({ method: 'chat.postMessage', status: 500 });
    expect((await scan(h.engine.deps)).delivery.retrying).toBe(1);
    // One send: the first post and two quick retries.
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(3);
    h.engine.clock.advance({ seconds: 60 });
    expect((await retry()).retrying).toBe(1); // second failure: next try 120 s later
    h.engine.clock.advance({ seconds: 119 });
    expect((await retry()).sent).toBe(0);
    h.slack.keepAnswering(null); // the server recovers
    h.engine.clock.advance({ seconds: 1 });
    expect((await retry()).sent).toBe(1);
    expect(h.engine.outbox.history().find((e) => e.channel === 'slack')).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('records a permanent Slack refusal as failed, without retrying it or blocking other tokens', async () => {
    h.engine.tokens.add(tokenInput('Lost', '2027-01-15T10:00', { slackChannel: '#gone' }), h.engine.clock.now());
    h.engine.tokens.add(tokenInput('Fine', '2027-01-16T10:00'), h.engine.clock.now());
    h.slack.script({ method: 'chat.postMessage', ok: false, error: 'channel_not_found' });
    const report = await scan(h.engine.deps);
    expect(report.delivery).toEqual({ sent: 5, retrying: 0, failed: 1 });
    const failed = h.engine.outbox.permanentFailures();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ tokenName: 'Lost', channel: 'slack', recipient: '#gone', status: 'failed' });
    expect(failed[0]?.lastError).toContain('channel_not_found');
    h.engine.clock.advance({ days: 1 });
    await scan(h.engine.deps);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('retries a timed-out Slack call later', async () => {
    h.engine.tokens.add(tokenInput('A', '2027-01-15T10:00'), h.engine.clock.now());
    h.slack.script({ method: 'chat.postMessage', hang: true });
    expect((await scan(h.engine.deps)).delivery.retrying).toBe(1);
    h.engine.clock.advance({ minutes: 1 });
    expect((await retry()).sent).toBe(1);
  });

  it('delivers everything due in one pass even when it spans several outbox batches', async () => {
    for (let i = 0; i < 5; i += 1) h.engine.tokens.add(tokenInput(`T${i}`, `2027-01-${15 + i}T10:00`), h.engine.clock.now());
    // One message per token, so that messages count rows (digests are tested in digests.test.ts).
    const perToken = { ...h.engine.deps, settings: { ...h.engine.deps.settings, digestMin: 0 } };
    const report = await scan(perToken); // queues 5 reminders: 2 emails and 1 Slack post each
    expect(report.delivery.sent).toBe(15);
    expect(h.engine.outbox.countPending()).toBe(0);

    for (let i = 0; i < 5; i += 1) h.engine.tokens.add(tokenInput(`U${i}`, `2027-01-${15 + i}T11:00`), h.engine.clock.now());
    await scan({ ...perToken, channels: new Map() }); // no channel configured: all 15 wait for a retry
    h.engine.clock.advance({ minutes: 1 });
    const batched = await deliverDue({ ...retryOptions(), settings: { ...h.engine.deps.settings, digestMin: 0 }, batchSize: 2 });
    expect(batched).toEqual({ sent: 15, retrying: 0, failed: 0 });
    expect(h.engine.outbox.countPending()).toBe(0);
    expect(h.smtp.messages).toHaveLength(20);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(10);
  });

  it('holds back a rate-limited channel for the rest of the pass while the other channel drains batch after batch', async () => {
    for (let i = 0; i < 4; i += 1) h.engine.tokens.add(tokenInput(`T${i}`, `2027-01-${15 + i}T10:00`), h.engine.clock.now());
    h.slack.script({ method: 'chat.postMessage', status: 429, retryAfter: 30 });
    await scan({ ...h.engine.deps, channels: new Map() });
    h.engine.clock.advance({ minutes: 1 });
    const report = await deliverDue({ ...retryOptions(), batchSize: 2 });
    expect(report).toEqual({ sent: 8, retrying: 1, failed: 0 });
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.smtp.messages).toHaveLength(8);
    h.engine.clock.advance({ seconds: 30 });
    expect((await deliverDue({ ...retryOptions(), batchSize: 2 })).sent).toBe(4);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(5);
  });

  const retryOptions = () => h.engine.deps;
});

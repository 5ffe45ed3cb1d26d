// Digests through real servers: many reminders due at once for one recipient become one email and a bounded number
// of Slack messages; a digest that fails is retried whole and delivered once; small batches still go one by one.
import { DateTime } from 'luxon';
import { deliverDue } from '../../src/engine/deliver';
import { scan } from '../../src/engine/scan';
import { tokenInput, useEngineHarness, type EngineOptions } from '../support/engine';
import type { SlackCall } from '../support/fake-slack-server';
import { slackTexts } from '../support/slack-blocks';

/** Every text inside a Slack call's blocks, joined. */
function slackText(call: SlackCall): string {
  return slackTexts((call.args['blocks'] ?? []) as unknown[]).join('\n');
}

const occurrences = (haystack: string, needle: string): number => haystack.split(needle).length - 1;
const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

describe('digests', () => {
  const h = useEngineHarness({ slackToken: 'xoxb-test' });

  function open(options: EngineOptions = {}): void {
    h.open({ mailTo: ['ops@example.test'], slackChannel: '#mdm', start: '2027-01-01T09:00', ...options });
  }

  /** Tokens each due for one reminder now: expiring within 2 to 59 days, and a few already expired. */
  function addDue(tokenNames: readonly string[], fields: Parameters<typeof tokenInput>[2] = {}): void {
    const now = h.engine.clock.now();
    h.engine.tokens.addMany(
      tokenNames.map((name, i) => {
        const expires = now.plus({ days: i % 10 === 9 ? -(1 + (i % 3)) : 2 + (i % 58), hours: 1 }).setZone('Europe/Paris');
        return tokenInput(name, expires.toISO() ?? '', { appleId: `${name.toLowerCase()}@apple.test`, orgGroup: `Global / ${name}`, ...fields });
      }),
      now,
    );
  }

  const retry = () =>
    deliverDue(h.engine.deps);

  it('sends 200 due reminders for one recipient as one email and two Slack messages, each token listed once', async () => {
    open();
    const tokens = names('Store', 200);
    addDue(tokens);
    const report = await scan(h.engine.deps);
    expect(report.planned).toHaveLength(200);
    expect(report.delivery).toEqual({ sent: 400, retrying: 0, failed: 0 });

    expect(h.smtp.messages).toHaveLength(1);
    const [mail] = h.smtp.messages;
    expect(mail?.subject).toMatch(/^\[tokenwatch\] 200 tokens to renew: \d+ expired, \d+ urgent, \d+ act now, \d+ plan$/);
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(2);
    for (const post of posts) expect((post.args['blocks'] as unknown[]).length).toBeLessThanOrEqual(50);
    const slackTexts = posts.map(slackText).join('\n');
    for (const name of tokens) {
      expect(occurrences(mail?.text ?? '', `${name} (VPP)`)).toBe(1);
      expect(occurrences(mail?.html ?? '', `${name} (VPP)`)).toBe(1);
      expect(occurrences(mail?.text ?? '', `${name.toLowerCase()}@apple.test`)).toBe(1);
      expect(occurrences(slackTexts, `*${name}* (VPP)`)).toBe(1);
    }

    const rows = h.engine.outbox.history(undefined, 1000);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    expect(new Set(rows.filter((row) => row.channel === 'email').map((row) => row.digestId)).size).toBe(1);
    expect(new Set(rows.filter((row) => row.channel === 'slack').map((row) => row.digestId)).size).toBe(2);
    expect(rows.every((row) => row.digestId !== null)).toBe(true);

    h.engine.clock.advance({ hours: 1 });
    expect((await scan(h.engine.deps)).delivery).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(h.smtp.messages).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('retries a digest whole while the SMTP server is down, then delivers it once', async () => {
    open();
    addDue(names('Shop', 6));
    h.smtp.failNext(1000, { code: 421, stage: 'connect' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const report = await scan(h.engine.deps);
      expect(report.delivery.retrying).toBe(6);
      const pending = h.engine.outbox.history().filter((row) => row.channel === 'email');
      expect(pending.every((row) => row.status === 'pending' && row.attempts === attempt + 1)).toBe(true);
      // Marked together: one retry time and one digest for all six.
      expect(new Set(pending.map((row) => row.nextAttemptAt.toMillis())).size).toBe(1);
      expect(new Set(pending.map((row) => row.digestId)).size).toBe(1);
      h.engine.clock.set(pending[0]?.nextAttemptAt ?? DateTime.invalid('none'));
    }
    expect(h.smtp.messages).toHaveLength(0);
    h.smtp.failNext(0, { code: 421, stage: 'connect' });
    expect((await retry()).sent).toBe(6);
    h.engine.clock.advance({ hours: 2 });
    await retry();
    await scan(h.engine.deps);
    expect(h.smtp.messages).toHaveLength(1);
    for (const name of names('Shop', 6)) expect(occurrences(h.smtp.messages[0]?.text ?? '', `${name} (VPP)`)).toBe(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.engine.outbox.countPending()).toBe(0);
  });

  it('records a digest refused for good as failed for all its reminders, and sends it once after tokenwatch retry', async () => {
    open();
    addDue(names('Shop', 5));
    h.smtp.failNext(1, { code: 550, stage: 'rcpt' });
    expect((await scan(h.engine.deps)).delivery).toEqual({ sent: 5, retrying: 0, failed: 5 });
    const failed = h.engine.outbox.history().filter((row) => row.channel === 'email');
    expect(failed).toHaveLength(5);
    expect(failed.every((row) => row.status === 'failed' && row.lastError?.includes('rejected recipient'))).toBe(true);
    h.engine.clock.advance({ days: 1 });
    await scan(h.engine.deps);
    expect(h.smtp.messages).toHaveLength(0);

    expect(h.engine.outbox.requeueFailed(h.engine.clock.now())).toBe(5);
    expect((await retry()).sent).toBe(5);
    expect(h.smtp.messages.map((m) => m.subject)).toEqual([expect.stringMatching(/^\[tokenwatch\] 5 tokens to renew/)]);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('retries a Slack digest answered with a 500 whole, and posts it once', async () => {
    open();
    addDue(names('Shop', 5));
    // The first attempt and the channel's two quick retries all get a 500; the outbox retries later.
    h.slack.script(...Array.from({ length: 3 }, () => ({ method: 'chat.postMessage', status: 500 })));
    expect((await scan(h.engine.deps)).delivery).toEqual({ sent: 5, retrying: 5, failed: 0 });
    h.engine.clock.advance({ seconds: 59 });
    expect((await retry()).sent).toBe(0);
    h.engine.clock.advance({ seconds: 1 });
    expect((await retry()).sent).toBe(5);
    await retry();
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(4);
    for (const name of names('Shop', 5)) expect(occurrences(slackText(posts[3] as SlackCall), `*${name}*`)).toBe(1);
    expect(h.engine.outbox.history().every((row) => row.status === 'sent')).toBe(true);
  });

  it('waits as long as Slack\'s Retry-After asks for every reminder of a rate-limited digest', async () => {
    open({ mailTo: [] });
    addDue(names('Shop', 5));
    h.slack.script({ method: 'chat.postMessage', status: 429, retryAfter: 30 });
    expect((await scan(h.engine.deps)).delivery.retrying).toBe(5);
    const expected = h.engine.clock.now().plus({ seconds: 30 }).toMillis();
    expect(h.engine.outbox.history().map((row) => row.nextAttemptAt.toMillis())).toEqual(Array(5).fill(expected));
    h.engine.clock.advance({ seconds: 29 });
    expect((await retry()).sent).toBe(0);
    h.engine.clock.advance({ seconds: 1 });
    expect((await retry()).sent).toBe(5);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('retries only the failed message of a split Slack digest, so that no token is posted twice', async () => {
    open({ mailTo: [] });
    const tokens = names('Shop', 250);
    addDue(tokens);
    // Message 2 of 3 gets a 500 on its first attempt and on the channel's two quick retries.
    h.slack.script({ method: 'chat.postMessage' }, ...Array.from({ length: 3 }, () => ({ method: 'chat.postMessage', status: 500 })));
    expect((await scan(h.engine.deps)).delivery).toEqual({ sent: 150, retrying: 100, failed: 0 });
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(5);
    h.engine.clock.advance({ minutes: 1 });
    expect((await retry()).sent).toBe(100);
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(6);
    expect(slackText(posts[0] as SlackCall)).toContain('(message 1 of 3)');
    expect(slackText(posts[5] as SlackCall)).not.toContain('message 1 of');
    const delivered = [posts[0], posts[4], posts[5]].map((post) => slackText(post as SlackCall)).join('\n');
    for (const name of tokens) expect(occurrences(delivered, `*${name}*`)).toBe(1);
  });

  it('with the default minimum of 3 sends three due reminders as three messages and four as one digest', async () => {
    open();
    addDue(names('Three', 3));
    await scan(h.engine.deps);
    expect(h.smtp.messages.map((m) => m.subject).sort()).toEqual([
      expect.stringContaining('"Three-000"'),
      expect.stringContaining('"Three-001"'),
      expect.stringContaining('"Three-002"'),
    ]);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect(h.engine.outbox.history().every((row) => row.digestId === null)).toBe(true);

    h.engine.clock.advance({ days: 1 });
    addDue(names('Four', 4));
    await scan(h.engine.deps);
    expect(h.smtp.messages).toHaveLength(4);
    expect(h.smtp.messages[3]?.subject).toMatch(/^\[tokenwatch\] 4 tokens to renew/);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(4);
  });

  it('counts per recipient: a token with its own address gets its own message while the shared one gets a digest', async () => {
    open();
    addDue(names('Shared', 4));
    addDue(['Own'], { email: ['own@example.test'] });
    await scan(h.engine.deps);
    const byRecipient = h.smtp.messages.map((m) => `${m.envelopeTo.join()}: ${m.subject}`).sort();
    expect(byRecipient).toEqual([
      'ops@example.test: [tokenwatch] 4 tokens to renew: 4 urgent',
      expect.stringMatching(/^own@example\.test: .*"Own"/),
    ]);
    // Slack has one channel for all five: one digest.
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slackText(h.slack.callsTo('chat.postMessage')[0] as SlackCall)).toContain('5 tokens');
  });

  it('never digests with a minimum of 0', async () => {
    open({ digestMin: 0 });
    addDue(names('Solo', 12));
    await scan(h.engine.deps);
    expect(h.smtp.messages).toHaveLength(12);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(12);
    expect(h.engine.outbox.history().every((row) => row.digestId === null && row.status === 'sent')).toBe(true);
  });

  it('sends a renewal confirmation on its own, next to a digest', async () => {
    open();
    addDue(names('Shop', 4));
    const renewed = h.engine.tokens.add(tokenInput('Renewed', '2027-01-20T10:00'), h.engine.clock.now());
    await scan(h.engine.deps);
    h.engine.clock.advance({ days: 1 });
    const renewal = { expiresAt: DateTime.fromISO('2028-01-20T10:00', { zone: 'Europe/Paris' }).toUTC() };
    h.engine.tokens.renew(renewed.name, renewal, h.engine.clock.now());
    addDue(names('More', 4));
    await scan(h.engine.deps);
    const subjects = h.smtp.messages.slice(1).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringMatching(/^\[tokenwatch\] 4 tokens to renew/), expect.stringMatching(/^\[tokenwatch\] Renewed: /)]));
    expect(subjects).toHaveLength(2);
  });
});

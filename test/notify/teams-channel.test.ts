// The Teams channel against a local Workflows webhook: the Adaptive Card of a reminder and a digest (shape, version,
// size), and how refusals, throttling and server errors are classified without the webhook URL leaking.
import { DateTime } from 'luxon';
import { digestMessage } from '../../src/domain/digest-content';
import { TEAMS_DIGEST_MAX_TOKENS, TEAMS_PAYLOAD_MAX, escapeTeams, payloadBytes } from '../../src/domain/message/teams';
import type { Reminder, ReminderToken } from '../../src/domain/reminder';
import { reminderMessage } from '../../src/domain/reminder-content';
import { PermanentDeliveryError, RetryLaterError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createTeamsChannel } from '../../src/notify/teams-channel';
import { TEAMS_MAX_BYTES, startFakeTeams, teamsProblem, type FakeTeamsServer } from '../support/fake-teams-server';
import { sampleMessage } from '../support/messages';

const ZONE = 'Europe/Paris';
const NOW = DateTime.fromISO('2027-01-01T09:00', { zone: ZONE });

function reminder(name: string, daysLeft: number, token: Partial<ReminderToken> = {}): Reminder {
  return {
    kind: 'threshold',
    threshold: 30,
    daysLeft,
    zone: ZONE,
    token: {
      name,
      kind: 'vpp',
      orgName: 'Acme Corp',
      expiresAt: NOW.plus({ days: daysLeft }).toUTC(),
      appleId: 'vpp-admin@acme.example',
      orgGroup: 'Global / Acme',
      ...token,
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected a failure, got ${String(outcome)}`);
  return outcome;
}

describe('the Teams channel', () => {
  let teams: FakeTeamsServer;
  let channel: Channel;

  beforeEach(async () => {
    teams = await startFakeTeams({ sig: 'SECRETSIG123' });
    channel = createTeamsChannel({ webhooks: [{ name: 'mdm', url: teams.webhookUrl }], logger: silentLogger, timeoutMs: 3000 });
  });
  afterEach(async () => {
    await channel.close();
    await teams.close();
  });

  it('posts a reminder as an Adaptive Card 1.5 with the token, expiry, impact, steps and a portal button', async () => {
    await channel.send('mdm', reminderMessage(reminder('Acme *Main*', 30)));
    const [post] = teams.posts();
    expect(post?.card.version).toBe('1.5');
    expect(post?.visibleText).toContain('Token: Acme *Main* (VPP)');
    expect(post?.visibleText).toMatch(/Expires: .*2027.*in 30 days/);
    expect(post?.visibleText).toContain('Act now');
    expect(post?.visibleText).toContain('How to renew');
    expect(post?.visibleText).toContain('vpp-admin@acme.example');
    expect(post?.card.actions?.[0]).toMatchObject({ type: 'Action.OpenUrl', url: expect.stringMatching(/^https:\/\//) });
  });

  it('posts a digest with every token when it fits, within the size limit', async () => {
    const reminders = Array.from({ length: TEAMS_DIGEST_MAX_TOKENS }, (_, i) => reminder(`Token ${i + 1} ${'x'.repeat(60)}`, i + 1));
    const message = digestMessage(reminders, NOW);
    expect(payloadBytes(message.teams())).toBeLessThanOrEqual(TEAMS_PAYLOAD_MAX);
    await channel.send('mdm', message);
    const [post] = teams.posts();
    expect(post?.visibleText).toContain(`Token ${TEAMS_DIGEST_MAX_TOKENS} `);
    expect(post?.visibleText).not.toContain('more token');
  });

  it('cuts a digest too large for one card and says how many tokens are left out', () => {
    const reminders = Array.from({ length: 200 }, (_, i) => reminder(`Token ${i + 1} ${'y'.repeat(200)}`, i + 1, { orgGroup: 'z'.repeat(300) }));
    const payload = digestMessage(reminders, NOW).teams();
    expect(payloadBytes(payload)).toBeLessThanOrEqual(TEAMS_PAYLOAD_MAX);
    expect(teamsProblem(JSON.stringify(payload))).toBeNull();
    expect(JSON.stringify(payload)).toMatch(/…and \d+ more tokens \(listed in the email digest\)/);
  });

  it('shows user values as typed: Markdown in a name is escaped', () => {
    expect(escapeTeams('**bold** [link](x)\n- item\n1. one')).toBe('\\*\\*bold\\*\\* \\[link\\](x)\n\n\\- item\n\n1\\. one');
  });

  it('treats a 400 as permanent, with the reason and without the webhook URL or its signature', async () => {
    teams.server.script({ status: 400, body: { error: { code: 'InvalidRequestContent', message: `bad card at ${teams.webhookUrl}` } } });
    const error = await failureOf(channel.send('mdm', sampleMessage()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('HTTP 400');
    expect(error.message).toContain('InvalidRequestContent');
    expect(error.message).not.toContain('SECRETSIG123');
  });

  it('treats a wrong signature (401) as permanent', async () => {
    const wrong = createTeamsChannel({ webhooks: [{ name: 'ops', url: teams.webhookUrl.replace('SECRETSIG123', 'WRONG') }], logger: silentLogger });
    const error = await failureOf(wrong.send('ops', sampleMessage()));
    await wrong.close();
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('Teams webhook "ops" answered HTTP 401');
    expect(error.message).not.toContain('WRONG');
  });

  it('waits out a short Retry-After on 429 and then delivers', async () => {
    teams.server.script({ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests' } } });
    await channel.send('mdm', sampleMessage());
    expect(teams.posts()).toHaveLength(1);
    expect(teams.server.requests).toHaveLength(2);
  });

  it('leaves a 429 whose Retry-After exceeds the bound to the outbox, with the wait', async () => {
    teams.server.script({ status: 429, headers: { 'retry-after': '120' }, body: {} });
    const error = await failureOf(channel.send('mdm', sampleMessage()));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterSeconds).toBe(120);
  });

  it('retries a 5xx quickly, and fails with a retryable error when it persists', async () => {
    teams.server.script({ status: 502 });
    await channel.send('mdm', sampleMessage());
    expect(teams.posts()).toHaveLength(1);
    teams.server.script({ status: 500 }, { status: 500 }, { status: 500 });
    const error = await failureOf(channel.send('mdm', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('HTTP 500');
  });

  it('refuses a webhook name that is not configured, permanently', async () => {
    const error = await failureOf(channel.send('nope', sampleMessage()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('"nope"');
  });

  it('is checked by a fake that refuses what Teams refuses', () => {
    expect(teamsProblem(JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.6', body: [] } }] }))).toMatch(/1\.6/);
    expect(teamsProblem(JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(TEAMS_MAX_BYTES) }] } }] }))).toBe('payload too large');
  });
});

// The Slack channel against a fake Web API: what chat.postMessage receives, and how each kind of failure is classified.
import { performance } from 'node:perf_hooks';
import { PermanentDeliveryError, RetryLaterError } from '../../src/errors';
import { createMemoryLogger, silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createSlackChannel } from '../../src/notify/slack-channel';
import { startFakeSlack, type FakeSlackServer } from '../support/fake-slack-server';
import { renderedMessage } from '../../src/domain/message/message';
import { sampleRendered, sampleMessage } from '../support/messages';
import { unusedPort } from '../support/ports';

const TOKEN = 'xoxb-1234567890-secret-bot-token';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected a failure, got ${String(outcome)}`);
  return outcome;
}

describe('the Slack channel', () => {
  let slack: FakeSlackServer;
  let channel: Channel;

  beforeEach(async () => {
    slack = await startFakeSlack({ token: TOKEN });
    channel = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger: silentLogger });
  });
  afterEach(async () => {
    await channel.close();
    await slack.close();
  });

  it('posts the blocks and the fallback text to chat.postMessage with the bot token in the Authorization header', async () => {
    const message = sampleRendered();
    await channel.send('#it-alerts', renderedMessage(message));

    const [call] = slack.callsTo('chat.postMessage');
    expect(slack.calls).toHaveLength(1);
    expect(call?.token).toBe(TOKEN);
    expect(call?.args).toMatchObject({
      channel: '#it-alerts',
      text: message.slack.text,
      blocks: message.slack.blocks,
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    expect(call?.args['token']).toBeUndefined();
  });

  it('accepts an API URL without the trailing slash', async () => {
    const other = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl.replace(/\/$/, ''), logger: silentLogger });
    await other.send('C0123456', sampleMessage());
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('asks the outbox to retry after Retry-After when rate limited (429) for longer than the send bound, without waiting', async () => {
    slack.script({ status: 429, retryAfter: 60 });
    const started = performance.now();
    const error = await failureOf(channel.send('#it-alerts', sampleMessage()));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterSeconds).toBe(60);
    expect(slack.calls).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('waits a short Retry-After and posts again within the same send (issue 8)', async () => {
    slack.script({ status: 429, retryAfter: 1 });
    const started = performance.now();
    await channel.send('#it-alerts', sampleMessage());
    const elapsed = performance.now() - started;
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
    // Retry-After is honoured: the second post came no sooner than one second later.
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a server that keeps answering 429 after a few quick retries, within the send bound (issue 8)', async () => {
    const bounded = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger: silentLogger, timeoutMs: 3000 });
    slack.keepAnswering({ status: 429, retryAfter: 1 });
    const started = performance.now();
    const error = await failureOf(bounded.send('#it-alerts', sampleMessage()));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterSeconds).toBe(1);
    // 1 s + 1 s of Retry-After fit in 3 s with a second left for the request: two quick retries, then the outbox.
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    // A correctness bound with a generous margin, not a speed measurement.
    expect(elapsed).toBeLessThan(3000 + 2000);
  });

  it('stops waiting for a quick retry when the channel is closed (shutdown) and leaves the message to the outbox', async () => {
    slack.keepAnswering({ status: 429, retryAfter: 20 });
    const started = performance.now();
    const sending = failureOf(channel.send('#it-alerts', sampleMessage()));
    await slack.waitForCalls(1);
    await channel.close();
    const error = await sending;
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(slack.calls).toHaveLength(1);
  });

  it('does not wait a Retry-After that would leave no time for the request within the bound', async () => {
    const bounded = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger: silentLogger, timeoutMs: 2000 });
    slack.keepAnswering({ status: 429, retryAfter: 2 });
    const error = await failureOf(bounded.send('#it-alerts', sampleMessage()));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('retries an HTTP 500 quickly and posts once the server answers (issue 8)', async () => {
    slack.script({ status: 500 }, { status: 503 });
    await channel.send('#it-alerts', sampleMessage());
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('fails with a retryable error on HTTP 500 after a bounded number of quick retries', async () => {
    slack.keepAnswering({ status: 500 });
    const started = performance.now();
    const error = await failureOf(channel.send('#it-alerts', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(RetryLaterError);
    expect(error.message).toContain('500');
    expect(slack.calls).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('makes a single attempt when quick retries are turned off', async () => {
    const once = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger: silentLogger, quickRetries: 0 });
    slack.script({ status: 500 });
    expect(await failureOf(once.send('#it-alerts', sampleMessage()))).not.toBeInstanceOf(PermanentDeliveryError);
    slack.script({ status: 429, retryAfter: 1 });
    expect(await failureOf(once.send('#it-alerts', sampleMessage()))).toBeInstanceOf(RetryLaterError);
    expect(slack.calls).toHaveLength(2);
  });

  it.each(['channel_not_found', 'invalid_auth', 'not_in_channel', 'is_archived', 'token_revoked', 'invalid_blocks'])(
    'fails for good, naming the code, when Slack answers ok:false with %s',
    async (code) => {
      slack.script({ ok: false, error: code });
      const error = await failureOf(channel.send('#it-alerts', sampleMessage()));
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error.message).toContain(code);
      expect(error.message).toContain('#it-alerts');
    },
  );

  it('fails with a retryable error on a platform error that may pass later', async () => {
    slack.script({ ok: false, error: 'internal_error' });
    const error = await failureOf(channel.send('#it-alerts', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('internal_error');
  });

  it('fails for good when the configured token is not the bot token Slack knows', async () => {
    const wrong = createSlackChannel({ token: 'xoxb-wrong-token-0000', apiUrl: slack.apiUrl, logger: silentLogger });
    const error = await failureOf(wrong.send('#it-alerts', sampleMessage()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('invalid_auth');
    expect(error.message).not.toContain('xoxb-wrong-token-0000');
  });

  it('fails with a retryable error when the server does not answer within timeoutMs, without retrying past it', async () => {
    const impatient = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger: silentLogger, timeoutMs: 300 });
    slack.keepAnswering({ hang: true });
    const started = performance.now();
    const error = await failureOf(impatient.send('#it-alerts', sampleMessage()));
    expect(performance.now() - started).toBeLessThan(300 + 2000);
    expect(slack.calls).toHaveLength(1);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('300 ms');
  });

  it('fails with a retryable error when nothing listens on the port', async () => {
    const offline = createSlackChannel({ token: TOKEN, apiUrl: `http://127.0.0.1:${await unusedPort()}/api/`, logger: silentLogger });
    const error = await failureOf(offline.send('#it-alerts', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('never shows the bot token in an error message or a log line', async () => {
    const logger = createMemoryLogger();
    const chatty = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger, timeoutMs: 300, quickRetries: 0 });
    slack.script(
      { status: 429, retryAfter: 1 },
      { status: 500, body: `upstream said ${TOKEN}` },
      { ok: false, error: 'channel_not_found' },
      { ok: false, error: `weird_${TOKEN}` },
      { hang: true },
    );
    const errors: Error[] = [];
    for (let i = 0; i < 5; i += 1) errors.push(await failureOf(chatty.send('#it-alerts', sampleMessage())));
    errors.push(await failureOf(createSlackChannel({ token: TOKEN, apiUrl: `http://127.0.0.1:${await unusedPort()}/api/`, logger }).verify()));

    for (const error of errors) expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
    expect(logger.lines.every((line) => line.level === 'debug')).toBe(true);
  });

  it('verifies the token with auth.test', async () => {
    await channel.verify();
    expect(slack.calls.map((call) => [call.method, call.token])).toEqual([['auth.test', TOKEN]]);
  });

  it('fails verify with one line naming the problem when the token is invalid', async () => {
    slack.script({ method: 'auth.test', ok: false, error: 'invalid_auth' });
    const error = await failureOf(channel.verify());
    expect(error.message).toMatch(/auth\.test.*invalid_auth/);
    expect(error.message).not.toContain('\n');
  });
});

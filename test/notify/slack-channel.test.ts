// The Slack channel against a fake Web API: what chat.postMessage receives, and how each kind of failure is classified.
import { PermanentDeliveryError, RetryLaterError } from '../../src/errors';
import { createMemoryLogger, silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createSlackChannel } from '../../src/notify/slack-channel';
import { startFakeSlack, type FakeSlackServer } from '../support/fake-slack-server';
import { sampleRendered } from '../support/messages';
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
    await channel.send('#it-alerts', message);

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
    await other.send('C0123456', sampleRendered());
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('asks to retry after the Retry-After seconds when rate limited (429), without retrying by itself', async () => {
    slack.script({ status: 429, retryAfter: 2 });
    const error = await failureOf(channel.send('#it-alerts', sampleRendered()));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterSeconds).toBe(2);
    expect(slack.calls).toHaveLength(1);
  });

  it('fails with a retryable error on HTTP 500, without retrying by itself', async () => {
    slack.script({ status: 500 });
    const error = await failureOf(channel.send('#it-alerts', sampleRendered()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(RetryLaterError);
    expect(error.message).toContain('500');
    expect(slack.calls).toHaveLength(1);
  });

  it.each(['channel_not_found', 'invalid_auth', 'not_in_channel', 'is_archived', 'token_revoked', 'invalid_blocks'])(
    'fails for good, naming the code, when Slack answers ok:false with %s',
    async (code) => {
      slack.script({ ok: false, error: code });
      const error = await failureOf(channel.send('#it-alerts', sampleRendered()));
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error.message).toContain(code);
      expect(error.message).toContain('#it-alerts');
    },
  );

  it('fails with a retryable error on a platform error that may pass later', async () => {
    slack.script({ ok: false, error: 'internal_error' });
    const error = await failureOf(channel.send('#it-alerts', sampleRendered()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('internal_error');
  });

  it('fails for good when the configured token is not the bot token Slack knows', async () => {
    const wrong = createSlackChannel({ token: 'xoxb-wrong-token-0000', apiUrl: slack.apiUrl, logger: silentLogger });
    const error = await failureOf(wrong.send('#it-alerts', sampleRendered()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('invalid_auth');
    expect(error.message).not.toContain('xoxb-wrong-token-0000');
  });

  it('fails with a retryable error when the server does not answer within timeoutMs', async () => {
    const impatient = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger: silentLogger, timeoutMs: 300 });
    slack.script({ hang: true });
    const started = Date.now();
    const error = await failureOf(impatient.send('#it-alerts', sampleRendered()));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('300 ms');
  });

  it('fails with a retryable error when nothing listens on the port', async () => {
    const offline = createSlackChannel({ token: TOKEN, apiUrl: `http://127.0.0.1:${await unusedPort()}/api/`, logger: silentLogger });
    const error = await failureOf(offline.send('#it-alerts', sampleRendered()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('never shows the bot token in an error message or a log line', async () => {
    const logger = createMemoryLogger();
    const chatty = createSlackChannel({ token: TOKEN, apiUrl: slack.apiUrl, logger, timeoutMs: 300 });
    slack.script(
      { status: 429, retryAfter: 1 },
      { status: 500, body: `upstream said ${TOKEN}` },
      { ok: false, error: 'channel_not_found' },
      { ok: false, error: `weird_${TOKEN}` },
      { hang: true },
    );
    const errors: Error[] = [];
    for (let i = 0; i < 5; i += 1) errors.push(await failureOf(chatty.send('#it-alerts', sampleRendered())));
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

// The signed-webhook channel on its own against the local receiver: the signature a receiver checks (and what it
// refuses), 429 with Retry-After, a receiver that never answers, and the URL and secret kept out of every error.
import { PermanentDeliveryError, RetryLaterError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { createWebhookChannel, signatureHeader, webhookUrlProblem } from '../../src/notify/webhook-channel';
import { RECEIVER_SECRET, signatureProblem, startFakeWebhookReceiver, type FakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { sampleMessage } from '../support/messages';

describe('the signed-webhook channel', () => {
  let receiver: FakeWebhookReceiver;
  beforeEach(async () => {
    receiver = await startFakeWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  const channelTo = (url: string, options: { secret?: string; timeoutMs?: number; quickRetries?: number } = {}) =>
    createWebhookChannel({ webhooks: [{ name: 'ops', url }], secret: options.secret ?? RECEIVER_SECRET, logger: silentLogger, ...options });

  it('signs "t.body" with HMAC-SHA256 so that a receiver verifies it, and refuses a changed body or timestamp', () => {
    const now = 1_800_000_000;
    const body = '{"id":"dlv_1","type":"test"}';
    const header = signatureHeader(RECEIVER_SECRET, now, body);
    const request = (signature: string, text = body) => ({ method: 'POST', url: '/hooks/tokenwatch', headers: { 'tokenwatch-signature': signature }, body: text });
    expect(signatureProblem(request(header), RECEIVER_SECRET, now)).toBeNull();
    expect(signatureProblem(request(header, body.replace('test', 'token.reminder')), RECEIVER_SECRET, now)).toBe('signature mismatch');
    expect(signatureProblem(request(header.replace(`t=${now}`, `t=${now + 1}`)), RECEIVER_SECRET, now)).toBe('signature mismatch');
    expect(signatureProblem(request(header), 'another-secret-0123456789', now)).toBe('signature mismatch');
    expect(signatureProblem(request(header), RECEIVER_SECRET, now + 301)).toBe('timestamp outside the tolerance');
  });

  it('passes a 429 on as a retry at the receiver\'s Retry-After', async () => {
    receiver.server.script({ status: 429, headers: { 'retry-after': '120' }, body: { error: 'slow down' } });
    const channel = channelTo(receiver.url, { quickRetries: 0 });
    const error: unknown = await channel.send('ops', sampleMessage()).catch((thrown: unknown) => thrown);
    await channel.close();
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterSeconds).toBe(120);
  });

  it('gives up on a receiver that never answers within the bound, with an error that allows a retry', async () => {
    receiver.server.script({ hang: true }, { hang: true }, { hang: true });
    const channel = channelTo(receiver.url, { timeoutMs: 1500 });
    const error: unknown = await channel.send('ops', sampleMessage()).catch((thrown: unknown) => thrown);
    await channel.close();
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toMatch(/no answer within 1500 ms/);
  });

  it('never shows the webhook URL or the secret in an error, even when the receiver echoes them', async () => {
    const url = `${receiver.url}?token=url-secret-4f9a`;
    receiver.server.script({ status: 400, body: { error: `bad request to ${url} signed with ${RECEIVER_SECRET}` } });
    const channel = channelTo(url);
    const error: unknown = await channel.send('ops', sampleMessage()).catch((thrown: unknown) => thrown);
    await channel.close();
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    const message = (error as Error).message;
    expect(message).toContain('webhook "ops" answered HTTP 400');
    expect(message).toContain('[redacted]');
    expect(message).not.toContain('url-secret-4f9a');
    expect(message).not.toContain(RECEIVER_SECRET);
  });

  it('refuses, for good, a webhook name that is not configured', async () => {
    const channel = channelTo(receiver.url);
    await expect(channel.send('elsewhere', sampleMessage())).rejects.toThrow(PermanentDeliveryError);
    await channel.close();
  });

  it.each([
    ['https://hooks.example.test/tokenwatch', null],
    ['http://127.0.0.1:8080/hooks', null],
    ['http://localhost/hooks', null],
    ['http://hooks.example.test/tokenwatch', /not an https URL/],
    ['https://user:pass@hooks.example.test/', /user or password/],
  ])('checks the address %s without calling it', (url, expected) => {
    const problem = webhookUrlProblem(url);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

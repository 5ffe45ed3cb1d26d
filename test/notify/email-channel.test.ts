// The email channel against a real SMTP server: what arrives, and which failures are permanent or retryable.
import net from 'node:net';
import { PermanentDeliveryError } from '../../src/errors';
import { createMemoryLogger, silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { renderedMessage } from '../../src/domain/message/message';
import { sampleRendered, sampleMessage } from '../support/messages';
import { unusedPort } from '../support/ports';
import { startSmtpReceiver, type SmtpReceiver, type SmtpReceiverOptions } from '../support/smtp-receiver';

const FROM = 'tokenwatch <tokenwatch@localhost>';
const PASSWORD = 's3cret-Pa55word';

/** What a send threw (fails the test when it resolved). */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected the send to fail, got ${String(outcome)}`);
  return outcome;
}

describe('the email channel', () => {
  let receiver: SmtpReceiver | null = null;
  const channels: Channel[] = [];

  async function start(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
    receiver = await startSmtpReceiver(options);
    return receiver;
  }

  function channelFor(smtpUrl: string, pool = false): Channel {
    const channel = createEmailChannel({ smtpUrl, from: FROM, pool, logger: silentLogger, timeoutMs: 2000 });
    channels.push(channel);
    return channel;
  }

  afterEach(async () => {
    await Promise.all(channels.splice(0).map((channel) => channel.close()));
    await receiver?.close();
    receiver = null;
  });

  it('sends one multipart message with the text and HTML parts, from the configured sender to the recipient', async () => {
    const server = await start();
    const message = sampleRendered();
    await channelFor(server.url).send('admin@example.org', renderedMessage(message));

    const [mail] = await server.waitForMessages(1);
    expect(mail).toMatchObject({
      envelopeFrom: 'tokenwatch@localhost',
      envelopeTo: ['admin@example.org'],
      from: '"tokenwatch" <tokenwatch@localhost>',
      to: 'admin@example.org',
      subject: message.subject,
    });
    expect(mail?.text.trim()).toBe(message.text.trim());
    expect(mail?.html).toContain('<strong>');
    expect(mail?.raw).toMatch(/Content-Type: multipart\/alternative/i);
  });

  it('sends several messages over one pooled connection', async () => {
    const server = await start();
    const channel = channelFor(server.url, true);
    for (const to of ['a@example.org', 'b@example.org', 'c@example.org']) await channel.send(to, sampleMessage());

    const mails = await server.waitForMessages(3);
    expect(mails.map((mail) => mail.envelopeTo)).toEqual([['a@example.org'], ['b@example.org'], ['c@example.org']]);
    expect(server.stats.connections).toBe(1);
  });

  it('logs in with the user and password of the SMTP URL', async () => {
    const server = await start({ auth: { user: 'mailer', password: PASSWORD } });
    await channelFor(`smtp://mailer:${PASSWORD}@127.0.0.1:${server.port}`).send('admin@example.org', sampleMessage());
    await expect(server.waitForMessages(1)).resolves.toHaveLength(1);
  });

  it.each([550, 553])('fails for good when the server rejects the recipient with %i', async (code) => {
    const server = await start({ rejectRecipients: ['gone@example.org'], rejectCode: code });
    const error = await failureOf(channelFor(server.url).send('gone@example.org', sampleMessage()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('gone@example.org');
    expect(error.message).toContain(String(code));
    expect(server.messages).toHaveLength(0);
  });

  it('fails for good when the server refuses the message itself with a 5xx reply', async () => {
    const server = await start({ failFirst: { count: 1, failure: { code: 554, stage: 'data', message: 'Message rejected as spam' } } });
    const error = await failureOf(channelFor(server.url).send('admin@example.org', sampleMessage()));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain('554');
  });

  it.each([
    [421, 'rcpt'],
    [451, 'rcpt'],
    [451, 'data'],
    [421, 'connect'],
  ] as const)('fails with a retryable error when the server answers %i at %s, and succeeds on the next try', async (code, stage) => {
    const server = await start({ failFirst: { count: 1, failure: { code, stage } } });
    const channel = channelFor(server.url);

    const error = await failureOf(channel.send('admin@example.org', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);

    await channel.send('admin@example.org', sampleMessage());
    await expect(server.waitForMessages(1)).resolves.toHaveLength(1);
  });

  it('fails with a retryable error when nothing listens on the port', async () => {
    const error = await failureOf(channelFor(`smtp://127.0.0.1:${await unusedPort()}`).send('admin@example.org', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/ECONNREFUSED|connect/i);
  });

  it('fails with a retryable error when the server accepts the connection but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const channel = createEmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, pool: false, logger: silentLogger, timeoutMs: 300 });
      channels.push(channel);
      const error = await failureOf(channel.send('admin@example.org', sampleMessage()));
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
      expect(error.message).toMatch(/time/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails with a retryable error naming the login when the password is wrong (535), without showing the password', async () => {
    const server = await start({ auth: { user: 'mailer', password: 'the-right-one' } });
    const error = await failureOf(channelFor(`smtp://mailer:${PASSWORD}@127.0.0.1:${server.port}`).send('admin@example.org', sampleMessage()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/login/);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('never shows the password of the SMTP URL in an error message', async () => {
    const encoded = encodeURIComponent('p@ss:w/rd%secret');
    const server = await start({ rejectRecipients: ['gone@example.org'] });
    const urls = [`smtp://mailer:${PASSWORD}@127.0.0.1:${await unusedPort()}`, `smtp://mailer:${encoded}@127.0.0.1:${server.port}`];
    for (const url of urls) {
      const channel = channelFor(url);
      const errors = [
        await failureOf(channel.send('gone@example.org', sampleMessage())),
        await failureOf(channel.send('admin@example.org', sampleMessage())).catch((error: Error) => error),
        await failureOf(channel.verify()).catch((error: Error) => error),
      ];
      for (const error of errors) {
        expect(`${error.message}\n${error.stack ?? ''}`).not.toContain(PASSWORD);
        expect(error.message).not.toContain('p@ss:w/rd%secret');
        expect(error.message).not.toContain(encoded);
        expect(error.message).not.toContain('mailer:');
      }
    }
  });

  it('verifies the connection to a healthy server and fails verify with one line when nothing listens', async () => {
    const server = await start();
    await expect(channelFor(server.url).verify()).resolves.toBe(`server ${server.url}`);

    const port = await unusedPort();
    const error = await failureOf(channelFor(`smtp://127.0.0.1:${port}`).verify());
    expect(error.message).toContain(`smtp://127.0.0.1:${port}`);
    expect(error.message).not.toContain('\n');
  });

  it('logs accepted messages at debug level only', async () => {
    const server = await start();
    const logger = createMemoryLogger();
    const channel = createEmailChannel({ smtpUrl: server.url, from: FROM, pool: false, logger });
    channels.push(channel);
    await channel.send('admin@example.org', sampleMessage());
    expect(logger.lines.filter((line) => line.level !== 'debug')).toEqual([]);
  });
});

// The logger: one JSON line per event, and secrets redacted wherever they appear.
import { PassThrough } from 'node:stream';
import { createLogger } from '../src/log';

function capture(secrets: string[] = []): { lines: () => Record<string, unknown>[]; logger: ReturnType<typeof createLogger> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const logger = createLogger({ level: 'debug', secrets, destination: stream });
  return { logger, lines: () => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger', () => {
  it('writes one JSON line per event with its level, event, token name, threshold and channel', () => {
    const { logger, lines } = capture();
    logger.info('delivery.sent', { token: 'Acme Main', alert: 't30', threshold: 30, channel: 'email', recipient: 'ops@x.test' });
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', event: 'delivery.sent', token: 'Acme Main', threshold: 30, channel: 'email', time: expect.any(String) }),
    ]);
  });

  it('redacts secret values wherever they appear and secret-named fields', () => {
    const { logger, lines } = capture(['hunter2-password', 'xoxb-1234-secret']);
    logger.error('delivery.retrying', { error: 'login as mailer:hunter2-password failed; xoxb-1234-secret refused', password: 'anything', smtpUrl: 'smtp://a:b@c' });
    const [line] = lines();
    expect(JSON.stringify(line)).not.toMatch(/hunter2-password|xoxb-1234-secret|anything|a:b@c/);
    expect(line).toMatchObject({ password: '[redacted]', smtpUrl: '[redacted]' });
  });
});

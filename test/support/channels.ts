// The real email and Slack channels, pointed at the test's own SMTP receiver and local Slack server, with short
// timeouts so that a failing server shows quickly.
import { silentLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { createSlackChannel } from '../../src/notify/slack-channel';
import type { FakeSlackServer } from './fake-slack-server';
import type { SmtpReceiver } from './smtp-receiver';

export function testEmailChannel(smtp: SmtpReceiver): Channel {
  return createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: false, logger: silentLogger, timeoutMs: 2000 });
}

/** `email` to `smtp`, and `slack` to `slack` when given. */
export function testChannels(smtp: SmtpReceiver, slack?: FakeSlackServer): Map<string, Channel> {
  const channels = new Map<string, Channel>([['email', testEmailChannel(smtp)]]);
  if (slack !== undefined) {
    channels.set('slack', createSlackChannel({ token: 'xoxb-test', apiUrl: slack.apiUrl, logger: silentLogger, timeoutMs: 2000 }));
  }
  return channels;
}

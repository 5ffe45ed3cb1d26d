// Which formats each channel renders: email only text and HTML, Slack only blocks, the preview all three.
import { lazyMessage, type Message } from '../../src/domain/message/message';
import { silentLogger } from '../../src/log';
import { createPreviewChannel } from '../../src/notify/preview-channel';
import { createSlackChannel } from '../../src/notify/slack-channel';
import { testEmailChannel } from '../support/channels';
import { startFakeSlack } from '../support/fake-slack-server';
import { sampleRendered } from '../support/messages';
import { startSmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

type Format = 'text' | 'html' | 'slack';

/** The sample message, counting the renders of each format. */
function countingMessage(): { message: Message; renders: Record<Format, number> } {
  const sample = sampleRendered();
  const renders: Record<Format, number> = { text: 0, html: 0, slack: 0 };
  const message = lazyMessage(sample.subject, {
    text: () => ((renders.text += 1), sample.text),
    html: () => ((renders.html += 1), sample.html),
    slack: () => ((renders.slack += 1), sample.slack),
  });
  return { message, renders };
}

describe('formats rendered per channel', () => {
  it('email renders the text and the HTML once each and never the Slack blocks', async () => {
    const smtp = await startSmtpReceiver();
    const channel = testEmailChannel(smtp);
    try {
      const { message, renders } = countingMessage();
      await channel.send('admin@example.org', message);
      await channel.send('other@example.org', message);
      expect(await smtp.waitForMessages(2)).toHaveLength(2);
      expect(renders).toEqual({ text: 1, html: 1, slack: 0 });
    } finally {
      await channel.close();
      await smtp.close();
    }
  });

  it('Slack renders the blocks and never the text or HTML of an email', async () => {
    const slack = await startFakeSlack({ token: 'xoxb-test' });
    const channel = createSlackChannel({ token: 'xoxb-test', apiUrl: slack.apiUrl, logger: silentLogger, timeoutMs: 2000 });
    try {
      const { message, renders } = countingMessage();
      await channel.send('#it-alerts', message);
      expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
      expect(renders).toEqual({ text: 0, html: 0, slack: 1 });
    } finally {
      await channel.close();
      await slack.close();
    }
  });

  it('the preview writes every format, so it renders all three', async () => {
    const dir = makeTempDir();
    const channel = createPreviewChannel({ dir, from: 'tokenwatch@localhost', emailTo: [], logger: silentLogger });
    try {
      const { message, renders } = countingMessage();
      await channel.send('preview', message);
      expect(renders).toEqual({ text: 1, html: 1, slack: 1 });
    } finally {
      await channel.close();
      removeDir(dir);
    }
  });
});

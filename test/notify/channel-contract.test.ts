// One contract every registered delivery channel meets (src/notify/channels.ts): email (real SMTP server), Slack
// (fake Web API), Teams (a local Workflows webhook), signed webhooks (a local receiver that verifies the signature)
// and preview (a folder). A channel registered without a harness
// here fails to compile (the harnesses are keyed by every channel name) and the registry test below.
import fs from 'node:fs';
import path from 'node:path';
import { PermanentDeliveryError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { CHANNEL_NAMES, type ChannelName } from '../../src/domain/channel-name';
import type { Channel } from '../../src/notify/channel';
import { CHANNELS } from '../../src/notify/channels';
import { createEmailChannel } from '../../src/notify/email-channel';
import { createPreviewChannel } from '../../src/notify/preview-channel';
import { createSlackChannel } from '../../src/notify/slack-channel';
import { createTeamsChannel } from '../../src/notify/teams-channel';
import { createWebhookChannel } from '../../src/notify/webhook-channel';
import { startFakeTeams } from '../support/fake-teams-server';
import { RECEIVER_SECRET, startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { simpleParser } from 'mailparser';
import { startFakeSlack } from '../support/fake-slack-server';
import { renderedMessage } from '../../src/domain/message/message';
import { sampleRendered, sampleMessage } from '../support/messages';
import { unusedPort } from '../support/ports';
import { startSmtpReceiver } from '../support/smtp-receiver';
import { makeTempDir, removeDir } from '../support/temp-dir';

interface Delivered {
  readonly subject: string;
  readonly text: string;
}

interface Harness {
  readonly channel: Channel;
  readonly recipient: string;
  /** What the receiving side got from the first send. */
  delivered(): Promise<Delivered>;
  /** A channel of the same kind whose server cannot be reached. */
  unreachable(): Promise<Channel>;
  stop(): Promise<void>;
}

const harnesses: Readonly<Record<ChannelName, () => Promise<Harness>>> = {
  email: async () => {
    const receiver = await startSmtpReceiver();
    const channel = createEmailChannel({ smtpUrl: receiver.url, from: 'tokenwatch <tokenwatch@localhost>', pool: true, logger: silentLogger });
    return {
      channel,
      recipient: 'admin@example.org',
      delivered: async () => {
        const [mail] = await receiver.waitForMessages(1);
        return { subject: mail?.subject ?? '', text: mail?.text ?? '' };
      },
      unreachable: async () =>
        createEmailChannel({ smtpUrl: `smtp://127.0.0.1:${await unusedPort()}`, from: 'tokenwatch@localhost', pool: true, logger: silentLogger }),
      stop: async () => {
        await channel.close();
        await receiver.close();
      },
    };
  },
  slack: async () => {
    const slack = await startFakeSlack({ token: 'xoxb-contract-token' });
    const channel = createSlackChannel({ token: 'xoxb-contract-token', apiUrl: slack.apiUrl, logger: silentLogger });
    return {
      channel,
      recipient: '#it-alerts',
      delivered: async () => {
        const [call] = await slack.waitForCalls(1, { method: 'chat.postMessage' });
        const header = (call?.args['blocks'] as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text ?? '';
        return { subject: header, text: typeof call?.args['text'] === 'string' ? call.args['text'] : '' };
      },
      unreachable: async () =>
        createSlackChannel({ token: 'xoxb-contract-token', apiUrl: `http://127.0.0.1:${await unusedPort()}/api/`, logger: silentLogger }),
      stop: async () => {
        await channel.close();
        await slack.close();
      },
    };
  },
  teams: async () => {
    const teams = await startFakeTeams();
    const channel = createTeamsChannel({ webhooks: [{ name: 'mdm', url: teams.webhookUrl }], logger: silentLogger });
    return {
      channel,
      recipient: 'mdm',
      delivered: async () => {
        const [post] = teams.posts();
        return { subject: post?.title ?? '', text: post?.visibleText ?? '' };
      },
      unreachable: async () =>
        createTeamsChannel({ webhooks: [{ name: 'mdm', url: `http://127.0.0.1:${await unusedPort()}/workflows/x?sig=s` }], logger: silentLogger, timeoutMs: 2000 }),
      stop: async () => {
        await channel.close();
        await teams.close();
      },
    };
  },
  webhook: async () => {
    const receiver = await startFakeWebhookReceiver();
    const channel = createWebhookChannel({ webhooks: [{ name: 'ops', url: receiver.url }], secret: RECEIVER_SECRET, logger: silentLogger });
    return {
      channel,
      recipient: 'ops',
      delivered: async () => {
        const [event] = receiver.events();
        const { subject, text } = (event?.body ?? {}) as { subject?: string; text?: string };
        return { subject: subject ?? '', text: text ?? '' };
      },
      unreachable: async () =>
        createWebhookChannel({ webhooks: [{ name: 'ops', url: `http://127.0.0.1:${await unusedPort()}/hooks` }], secret: RECEIVER_SECRET, logger: silentLogger, timeoutMs: 2000 }),
      stop: async () => {
        await channel.close();
        await receiver.close();
      },
    };
  },
  preview: async () => {
    const dir = makeTempDir();
    const out = path.join(dir, 'outbox-preview');
    const channel = createPreviewChannel({ dir: out, from: 'tokenwatch <tokenwatch@localhost>', emailTo: ['admin@example.org'], logger: silentLogger });
    return {
      channel,
      recipient: 'preview',
      delivered: async () => {
        const eml = fs.readdirSync(out).find((name) => name.endsWith('.eml'));
        if (eml === undefined) throw new Error(`no .eml in ${out}`);
        const parsed = await simpleParser(fs.readFileSync(path.join(out, eml)));
        return { subject: parsed.subject ?? '', text: parsed.text ?? '' };
      },
      unreachable: async () => {
        // A folder below a regular file can never be created.
        fs.writeFileSync(path.join(dir, 'not-a-folder'), '');
        return createPreviewChannel({ dir: path.join(dir, 'not-a-folder', 'preview'), from: 'tokenwatch@localhost', emailTo: [], logger: silentLogger });
      },
      stop: async () => {
        await channel.close();
        removeDir(dir);
      },
    };
  },
};

describe('the channel registry', () => {
  it('registers every channel name once, each with a contract harness', () => {
    const registered = CHANNELS.map((spec) => spec.name);
    expect([...registered].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(harnesses).sort()).toEqual([...registered].sort());
  });
});

describe.each(CHANNELS.map((spec): [ChannelName, () => Promise<Harness>] => [spec.name, harnesses[spec.name]]))('the %s channel', (name, setup) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await setup();
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('is named after its kind', () => {
    expect(harness.channel.name).toBe(name);
  });

  it('resolves a send only once the receiving side has the subject and the text', async () => {
    const message = sampleRendered();
    await harness.channel.send(harness.recipient, renderedMessage(message));
    const delivered = await harness.delivered();
    expect(delivered.subject).toBe(message.subject);
    expect(delivered.text).toContain('Renew it in Apple School Manager before 2026-07-16.');
  });

  it('verifies against a healthy server, saying in one line what it reached', async () => {
    const reached = await harness.channel.verify();
    expect(reached).not.toBe('');
    expect(reached).not.toContain('\n');
  });

  it('closes cleanly, even after sending', async () => {
    await harness.channel.send(harness.recipient, sampleMessage());
    await expect(harness.channel.close()).resolves.toBeUndefined();
  });

  it('rejects a send it cannot deliver with an error that allows a retry', async () => {
    const channel = await harness.unreachable();
    try {
      const error: unknown = await channel.send(harness.recipient, sampleMessage()).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    } finally {
      await channel.close();
    }
  });
});

// Delivery throughput: a real scan that queues N due reminders and delivers each by email to a local SMTP server
// and by Slack to a local Slack-compatible server, through tokenwatch's own channels (pooled SMTP, @slack/web-api).
// Each reminder is one message per channel and recipient (per-token delivery).
import path from 'node:path';
import type { DateTime } from 'luxon';
import { scan } from '../src/engine/scan';
import { silentLogger } from '../src/log';
import type { Channel } from '../src/notify/channel';
import { createEmailChannel } from '../src/notify/email-channel';
import { createSlackChannel } from '../src/notify/slack-channel';
import { openScanDeps } from './engine-deps';
import { buildRegistry } from './registry';
import { startSlackSink, startSmtpSink } from './sinks';
import { elapsedMs } from './timing';

export interface ChannelThroughput {
  readonly messages: number;
  readonly ms: number;
  readonly perSecond: number;
}

export interface DeliveryResult {
  readonly reminders: number;
  /** The whole scan: deciding, recording and delivering on both channels (in parallel). */
  readonly scanMs: number;
  readonly email: ChannelThroughput;
  readonly slack: ChannelThroughput;
}

/** Wraps a channel to time its sends from the first start to the last acceptance. */
function timed(channel: Channel): Channel & { throughput(): ChannelThroughput } {
  let first: bigint | null = null;
  let lastMs = 0;
  let messages = 0;
  return {
    name: channel.name,
    async send(recipient, message) {
      first ??= process.hrtime.bigint();
      await channel.send(recipient, message);
      messages += 1;
      lastMs = elapsedMs(first);
    },
    verify: () => channel.verify(),
    close: () => channel.close(),
    throughput: () => ({ messages, ms: lastMs, perSecond: lastMs > 0 ? (messages * 1000) / lastMs : 0 }),
  };
}

export async function measureDelivery(dir: string, reminders: number, at: DateTime): Promise<DeliveryResult> {
  const file = path.join(dir, `delivery-${reminders}.db`);
  buildRegistry(file, { size: reminders, due: reminders, at });
  const smtp = await startSmtpSink();
  const slackSink = await startSlackSink();
  const email = timed(createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@bench.example', pool: true, logger: silentLogger }));
  const slack = timed(createSlackChannel({ token: 'xoxb-bench', apiUrl: slackSink.url, logger: silentLogger }));
  const deps = openScanDeps(file, new Map<string, Channel>([['email', email], ['slack', slack]]), at);
  try {
    const start = process.hrtime.bigint();
    const report = await scan(deps, at);
    const scanMs = elapsedMs(start);
    const expected = report.planned.length;
    if (expected !== reminders || smtp.count() !== expected || slackSink.count() !== expected) {
      throw new Error(`delivery: queued ${expected}, SMTP got ${smtp.count()}, Slack got ${slackSink.count()}; expected ${reminders} each`);
    }
    return { reminders: expected, scanMs, email: email.throughput(), slack: slack.throughput() };
  } finally {
    deps.db.close();
    await email.close();
    await slack.close();
    await smtp.close();
    await slackSink.close();
  }
}

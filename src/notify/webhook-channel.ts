// The signed-webhook channel: POSTs each message as a versioned JSON event (src/domain/message/event.ts) to every
// configured webhook, signed Stripe-style so that the receiver can tell it came from us, unchanged and recently:
//   Tokenwatch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with TOKENWATCH_WEBHOOK_SECRET>
//   Tokenwatch-Delivery: <the delivery id, the same on every retry: receivers dedupe on it>
//   Tokenwatch-Event: <the event type>
// The scheme follows Stripe's (https://docs.stripe.com/webhooks#verify-manually: the `t` and `v1` elements of the
// signature header, the signed payload "timestamp.body", HMAC-SHA256 in hex, a 5-minute tolerance against replays;
// the same computation as stripe-ruby's Stripe::Webhook::Signature.compute_signature and stripe-node's Webhooks.ts).
// A fresh timestamp and signature per attempt; the body is the same. Answers (src/notify/http-post.ts): 2xx sent;
// 410 and any other 4xx permanent with the reason; 408, 429 (Retry-After) and 5xx, timeouts and network errors
// retried within the bound, then by the outbox. The URLs and the secret are secrets: redacted from every error, never
// logged; the outbox stores the webhook's name.
import { createHmac } from 'node:crypto';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { PermanentDeliveryError, quoted } from '../errors';
import type { Logger } from '../log';
import type { NamedWebhook } from '../config';
import { contentDelivery, webhookEvent, type Delivery } from '../domain/message/event';
import type { Message } from '../domain/message/message';
import type { Channel } from './channel';
import type { ChannelSpec } from './channel-spec';
import { postJson } from './http-post';

export const SIGNATURE_HEADER = 'tokenwatch-signature';
export const DELIVERY_HEADER = 'tokenwatch-delivery';
export const EVENT_HEADER = 'tokenwatch-event';

/** Most reminders one digest event carries (a bigger digest goes as several events, like Slack's parts). */
export const WEBHOOK_DIGEST_MAX_TOKENS = 100;

export interface WebhookChannelOptions {
  readonly webhooks: readonly NamedWebhook[];
  /** The HMAC key (TOKENWATCH_WEBHOOK_SECRET); a secret. */
  readonly secret: string;
  readonly logger: Logger;
  /** The signature's timestamp; the system clock by default. */
  readonly clock?: Clock;
  /** The bound for one message, its quick retries included; 30 s by default. */
  readonly timeoutMs?: number;
  /** Quick retries per message; 2 by default. */
  readonly quickRetries?: number;
}

/** The signed-webhook channel's registration: configured by TOKENWATCH_WEBHOOK_URL or TOKENWATCH_WEBHOOKS; every reminder goes to every webhook. */
export const WEBHOOK_CHANNEL: ChannelSpec = {
  name: 'webhook',
  doctorLabel: 'webhook',
  isOptional: true,
  noRecipientHint: 'no webhook (set TOKENWATCH_WEBHOOK_URL or TOKENWATCH_WEBHOOKS)',
  configure: (config) => {
    const secret = config.webhookSecret;
    if (config.webhooks.length === 0 || secret === null) return null;
    const names = config.webhooks.map((webhook) => webhook.name);
    return {
      create: ({ logger, timeoutMs, clock }) => createWebhookChannel({ webhooks: config.webhooks, secret, logger, timeoutMs, clock }),
      describe: `signed webhook${names.length === 1 ? '' : 's'} ${names.join(', ')}`,
      everyReminder: names,
    };
  },
};

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the value of the Tokenwatch-Signature header. */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const signature = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${signature}`;
}

/** Why `url` is not a sensible webhook address (plain http beyond this machine, credentials in it), or null. */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL (expected https://…)';
  }
  const isLoopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback)) {
    return 'not an https URL (expected https://…; plain http only to this machine: events carry token facts)';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'has a user or password in it (expected the receiver to check the signature instead)';
  return null;
}

export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  const urls = new Map(options.webhooks.map((webhook) => [webhook.name, webhook.url]));
  const secrets = [options.secret, ...options.webhooks.map((webhook) => webhook.url)];
  const clock = options.clock ?? systemClock;
  const closing = new AbortController();

  return {
    name: 'webhook',
    digestMaxTokens: WEBHOOK_DIGEST_MAX_TOKENS,

    async send(recipient: string, message: Message, delivery?: Delivery): Promise<void> {
      const url = urls.get(recipient);
      if (url === undefined) {
        throw new PermanentDeliveryError(`webhook ${quoted(recipient)} is not configured (expected one of: ${[...urls.keys()].join(', ')})`);
      }
      const content = message.event();
      const event = webhookEvent(content, delivery ?? contentDelivery(content));
      const body = JSON.stringify(event);
      options.logger.debug('webhook.post', { webhook: recipient, delivery: event.id, type: event.type, bytes: Buffer.byteLength(body) });
      await postJson(
        url,
        () => ({
          text: body,
          headers: {
            [SIGNATURE_HEADER]: signatureHeader(options.secret, Math.floor(clock.now().toSeconds()), body),
            [DELIVERY_HEADER]: event.id,
            [EVENT_HEADER]: event.type,
            'user-agent': 'tokenwatch-webhook/1',
          },
        }),
        {
          label: `webhook ${quoted(recipient)}`,
          timeoutMs: options.timeoutMs ?? 30_000,
          quickRetries: options.quickRetries ?? 2,
          secrets,
          signal: closing.signal,
        },
      );
    },

    async verify(): Promise<string> {
      // Checked without calling the receiver: an event it did not expect could page someone. `test-notify` sends a
      // real (test) event.
      if (options.secret.length < 16) throw new Error('the signing secret is shorter than 16 characters (expected e.g. "openssl rand -hex 32")');
      for (const [name, url] of urls) {
        const problem = webhookUrlProblem(url);
        if (problem !== null) throw new Error(`webhook ${quoted(name)}: ${problem}`);
      }
      return `${[...urls.keys()].join(', ')}: https and a signing secret set (checked without sending an event)`;
    },

    async close(): Promise<void> {
      closing.abort();
    },
  };
}

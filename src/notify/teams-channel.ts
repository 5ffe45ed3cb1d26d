// The Microsoft Teams channel: posts each message's Adaptive Card to a named Teams Workflows webhook
// ("Post to a channel when a webhook request is received"). The recipient is the webhook's NAME (as stored in the
// outbox); its URL, a secret, is looked up here and never leaves this file except as the request's target.
// Errors: 4xx other than 429 permanent with the reason, 429 (Retry-After) and 5xx retried within the bound
// (src/notify/http-post.ts). Payload shape and limits: src/domain/message/teams.ts.
import { PermanentDeliveryError, quoted } from '../errors';
import type { Logger } from '../log';
import type { Message } from '../domain/message/message';
import { TEAMS_DIGEST_MAX_TOKENS, TEAMS_PAYLOAD_MAX, payloadBytes } from '../domain/message/teams';
import type { Channel } from './channel';
import type { ChannelSpec } from './channel-spec';
import { postJson } from './http-post';

/** The Teams channel's registration: configured by TOKENWATCH_TEAMS_WEBHOOKS, posting to TOKENWATCH_TEAMS_DEFAULT. */
export const TEAMS_CHANNEL: ChannelSpec = {
  name: 'teams',
  doctorLabel: 'teams',
  isOptional: true,
  noRecipientHint: 'no default webhook (set TOKENWATCH_TEAMS_DEFAULT)',
  configure: (config) => {
    if (config.teamsWebhooks.length === 0) return null;
    return {
      create: ({ logger, timeoutMs }) => createTeamsChannel({ webhooks: config.teamsWebhooks, logger, timeoutMs }),
      describe: `Teams webhook ${config.teamsDefault ?? '(none chosen: set TOKENWATCH_TEAMS_DEFAULT)'}`,
    };
  },
};

export interface TeamsChannelOptions {
  /** Named webhooks; each URL is a secret. */
  readonly webhooks: readonly { readonly name: string; readonly url: string }[];
  readonly logger: Logger;
  /** The bound for one message, its quick retries included; 30 s by default. */
  readonly timeoutMs?: number;
  /** Quick retries per message; 2 by default. */
  readonly quickRetries?: number;
}

export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const urls = new Map(options.webhooks.map((webhook) => [webhook.name, webhook.url]));
  const secrets = options.webhooks.map((webhook) => webhook.url);
  const closing = new AbortController();
  const post = (name: string, text: string): Promise<void> => {
    const url = urls.get(name);
    if (url === undefined) {
      throw new PermanentDeliveryError(`Teams webhook ${quoted(name)} is not configured (expected one of TOKENWATCH_TEAMS_WEBHOOKS: ${[...urls.keys()].join(', ')})`);
    }
    return postJson(url, () => ({ text, headers: {} }), {
      label: `Teams webhook ${quoted(name)}`,
      timeoutMs: options.timeoutMs ?? 30_000,
      quickRetries: options.quickRetries ?? 2,
      secrets,
      signal: closing.signal,
    });
  };

  return {
    name: 'teams',
    digestMaxTokens: TEAMS_DIGEST_MAX_TOKENS,

    async send(recipient: string, message: Message): Promise<void> {
      const payload = message.teams();
      const bytes = payloadBytes(payload);
      if (bytes > TEAMS_PAYLOAD_MAX) {
        throw new PermanentDeliveryError(`Teams card for ${quoted(message.subject)} is ${bytes} bytes (expected at most ${TEAMS_PAYLOAD_MAX})`);
      }
      options.logger.debug('teams.post', { webhook: recipient, bytes });
      await post(recipient, JSON.stringify(payload));
    },

    async verify(): Promise<string> {
      // A Workflows webhook has no read-only call: posting would put a message in the channel. Check what can be
      // checked without one: every webhook is configured with an http(s) URL.
      for (const [name, url] of urls) {
        const protocol = new URL(url).protocol;
        if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`Teams webhook ${quoted(name)}: not an http(s) URL`);
      }
      const names = [...urls.keys()];
      return `webhook${names.length === 1 ? '' : 's'} ${names.join(', ')} (URLs checked, not posted to)`;
    },

    async close(): Promise<void> {
      closing.abort();
    },
  };
}

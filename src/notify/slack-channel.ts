// The Slack channel: posts each rendered reminder (Block Kit blocks plus fallback text) with chat.postMessage.
// No retries here (the outbox retries); decides which Slack errors are permanent and keeps the bot token out of errors.
import { ErrorCode, LogLevel, WebClient, type ChatPostMessageArguments, type FetchFunction, type Logger as SlackLogger } from '@slack/web-api';
import { PermanentDeliveryError, RetryLaterError, coerceError, quoted } from '../errors';
import { redact, type Logger } from '../log';
import type { RenderedReminder } from '../domain/reminder';
import type { Channel } from './channel';

export interface SlackChannelOptions {
  /** Bot token (xoxb-…); a secret. */
  token: string;
  /** Web API base URL, e.g. https://slack.com/api/ */
  apiUrl: string;
  logger: Logger;
  /** Per-request timeout; 30 s by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Platform errors that the same request will get again: the administrator must change something first. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'restricted_action',
]);

type SlackBlocks = Extract<ChatPostMessageArguments, { blocks: unknown }>['blocks'];

/** The fields of @slack/web-api's errors we read (each kind carries a different subset). */
interface SlackErrorFields {
  code?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown; needed?: unknown };
  statusCode?: unknown;
  original?: unknown;
}

export function createSlackChannel(options: SlackChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clean = (text: string): string => redact(text, [options.token]);
  const client = new WebClient(options.token, {
    slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    fetch: fetchWithReadableErrors(timeoutMs),
    logger: debugLogger(options.logger, clean),
  });

  return {
    name: 'slack',

    async send(recipient: string, message: RenderedReminder): Promise<void> {
      try {
        await client.chat.postMessage({
          channel: recipient,
          text: message.slack.text,
          // Blocks come from reminder rendering and are posted as they are.
          blocks: [...message.slack.blocks] as unknown as SlackBlocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        throw classify(error, `chat.postMessage to ${quoted(recipient)}`, clean);
      }
    },

    async verify(): Promise<void> {
      try {
        await client.auth.test();
      } catch (error) {
        const classified = classify(error, 'auth.test', clean);
        throw new Error(classified.message, { cause: error });
      }
    },

    async close(): Promise<void> {
      // Nothing to release: every call is a single HTTP request.
    },
  };
}

/** Maps a @slack/web-api error to RetryLaterError, PermanentDeliveryError or a plain (retryable) Error. */
function classify(thrown: unknown, call: string, clean: (text: string) => string): Error {
  const error = coerceError(thrown) as Error & SlackErrorFields;
  switch (error.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof error.retryAfter === 'number' && error.retryAfter >= 0 ? error.retryAfter : 60;
      return new RetryLaterError(`Slack rate-limited ${call}: retry after ${seconds} s`, seconds);
    }
    case ErrorCode.PlatformError: {
      const code = typeof error.data?.error === 'string' ? firstLine(error.data.error).slice(0, 100) : 'unknown_error';
      const needed = code === 'missing_scope' && typeof error.data?.needed === 'string' ? ` (needs ${error.data.needed})` : '';
      const message = clean(`Slack refused ${call}: ${code}${needed}`);
      return PERMANENT_ERRORS.has(code) ? new PermanentDeliveryError(message, { cause: thrown }) : new Error(message, { cause: thrown });
    }
    case ErrorCode.HTTPError:
      return new Error(clean(`Slack answered ${call} with HTTP ${String(error.statusCode)}`), { cause: thrown });
    case ErrorCode.RequestError: {
      const original = typeof error.original === 'object' && error.original !== null ? (error.original as { message?: unknown }) : {};
      const detail = typeof original.message === 'string' ? firstLine(original.message) : firstLine(error.message);
      return new Error(clean(`Slack request ${call} failed: ${detail}`), { cause: thrown });
    }
    default:
      return new Error(clean(`Slack ${call} failed: ${firstLine(error.message)}`), { cause: thrown });
  }
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/**
 * The global fetch, with its failures turned into errors that say what happened: "no answer within 300 ms",
 * "fetch failed: ECONNREFUSED" (fetch alone says "fetch failed" and hides the socket error in `cause`).
 */
function fetchWithReadableErrors(timeoutMs: number): FetchFunction {
  return async (url, init) => {
    try {
      return await fetch(url, init);
    } catch (thrown) {
      const error = (typeof thrown === 'object' && thrown !== null ? thrown : { message: String(thrown) }) as ErrorLike;
      if (error.name === 'TimeoutError' || error.name === 'AbortError') {
        throw new Error(`no answer within ${timeoutMs} ms`, { cause: thrown });
      }
      const message = typeof error.message === 'string' ? firstLine(error.message) : String(thrown);
      const cause = (typeof error.cause === 'object' && error.cause !== null ? error.cause : {}) as ErrorLike;
      const detail = typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? firstLine(cause.message) : '';
      throw new Error(detail === '' ? message : `${message}: ${detail}`, { cause: thrown });
    }
  };
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]?.trim() ?? text;
}

/** @slack/web-api logs to the console by default; forward its lines at debug level, token removed. */
function debugLogger(logger: Logger, clean: (text: string) => string): SlackLogger {
  const forward = (...parts: unknown[]): void => {
    logger.debug('slack.client', { message: clean(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')) });
  };
  return {
    debug: forward,
    info: forward,
    warn: forward,
    error: forward,
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

// The Slack channel: posts each rendered reminder (Block Kit blocks plus fallback text) with chat.postMessage.
// A few quick retries within a bound per message (issue 8); longer waits are left to the outbox's backoff.
// Decides which Slack errors are permanent and keeps the bot token out of errors.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatPostMessageArguments, FetchFunction, Logger as SlackLogger } from '@slack/web-api';
import { PermanentDeliveryError, RetryLaterError, coerceError, firstLine, quoted } from '../errors';
import { redact, type Logger } from '../log';
import type { Message } from '../domain/message/message';
import { SLACK_DIGEST_MAX_TOKENS } from '../domain/digest-content';
import type { Channel } from './channel';
import { createHttpClient, type HttpClient } from '../http-client/request';
import type { ChannelSpec } from './channel-spec';

// @slack/web-api is loaded when a channel is created, not when the CLI starts: it takes a few hundred milliseconds
// to load, which commands such as `list` never need.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSlackApi = (): typeof import('@slack/web-api') => require('@slack/web-api') as typeof import('@slack/web-api');

/** The Slack channel's registration: configured by SLACK_BOT_TOKEN, posting to TOKENWATCH_SLACK_CHANNEL or each token's --slack-channel. */
export const SLACK_CHANNEL: ChannelSpec = {
  name: 'slack',
  doctorLabel: 'slack',
  noRecipientHint: 'no channel (use --slack-channel or TOKENWATCH_SLACK_CHANNEL)',
  configure: (config) => {
    const token = config.slackToken;
    if (token === null) return null;
    return {
      create: ({ logger, timeoutMs }) => createSlackChannel({ token, apiUrl: config.slackApiUrl, logger, timeoutMs }),
      describe: `Slack ${config.slackChannel ?? "(each token's --slack-channel only)"}`,
    };
  },
};

export interface SlackChannelOptions {
  /** Bot token (xoxb-…); a secret. */
  token: string;
  /** Web API base URL, e.g. https://slack.com/api/ */
  apiUrl: string;
  logger: Logger;
  /**
   * The bound for one message, its quick retries included (TOKENWATCH_SEND_TIMEOUT_SECONDS); 30 s by default.
   * A request still unanswered when it runs out is aborted.
   */
  timeoutMs?: number;
  /** Quick retries per message, for a 429 whose Retry-After fits in the bound and for HTTP 5xx or network errors; 2 by default. */
  quickRetries?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_QUICK_RETRIES = 2;
/** A 429 is retried at once only if, after its Retry-After, this much of the bound is left for the request. */
const MIN_REQUEST_MS = 1000;
/** Backoff between quick retries of HTTP 5xx and network errors: 250 ms, then 500 ms, at most 1 s. */
const QUICK_BACKOFF = { minTimeout: 250, factor: 2, maxTimeout: 1000, randomize: false } as const;

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
  const quickRetries = options.quickRetries ?? DEFAULT_QUICK_RETRIES;
  const clean = (text: string): string => redact(text, [options.token]);
  // When the current call must be over (performance.now() milliseconds); read by the fetch function.
  const deadlines = new AsyncLocalStorage<number>();
  // Aborted by close(): a quick retry still waiting for Retry-After gives up and leaves the row to the outbox.
  const closing = new AbortController();
  // node:http rather than the global fetch: fetch kept about 20 MiB more resident in an idle daemon.
  const http = createHttpClient();
  const client = new (loadSlackApi().WebClient)(options.token, {
    slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
    // The client's default retries for about 30 minutes. Here: a few quick ones for HTTP 5xx and network errors,
    // never past the bound; 429 is rejected at once and decided below, honouring its Retry-After.
    retryConfig: { retries: quickRetries, ...QUICK_BACKOFF, maxRetryTime: timeoutMs },
    rejectRateLimitedCalls: true,
    // No per-request timeout of the client's own: the fetch function aborts at the message's deadline.
    timeout: 0,
    fetch: fetchWithReadableErrors(http, timeoutMs, () => deadlines.getStore()),
    logger: debugLogger(options.logger, clean),
  });

  /** Runs one API call within the bound, retrying a 429 while Retry-After leaves time for another request. */
  async function bounded<T>(call: string, request: () => Promise<T>): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await deadlines.run(deadline, request);
      } catch (error) {
        const classified = classify(error, call, clean);
        if (!(classified instanceof RetryLaterError)) throw classified;
        const waitMs = classified.retryAfterSeconds * 1000;
        if (attempt >= quickRetries || performance.now() + waitMs + Math.min(MIN_REQUEST_MS, timeoutMs / 4) > deadline) throw classified;
        if (closing.signal.aborted) throw classified;
        options.logger.debug('slack.rate_limited', { call, retryAfterSeconds: classified.retryAfterSeconds, attempt: attempt + 1 });
        try {
          await sleep(waitMs, undefined, { signal: closing.signal });
        } catch {
          throw classified;
        }
      }
    }
  }

  return {
    name: 'slack',
    digestMaxTokens: SLACK_DIGEST_MAX_TOKENS,

    async send(recipient: string, message: Message): Promise<void> {
      const payload = message.slack();
      await bounded(`chat.postMessage to ${quoted(recipient)}`, () =>
        client.chat.postMessage({
          channel: recipient,
          text: payload.text,
          // Blocks come from the message kit and are posted as they are.
          blocks: [...payload.blocks] as unknown as SlackBlocks,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
    },

    async verify(): Promise<string> {
      try {
        // auth.test answers which workspace (team, url) and which user (user, user_id) the token belongs to:
        // https://api.slack.com/methods/auth.test
        const who = await bounded('auth.test', () => client.auth.test());
        const workspace = `workspace "${who.team ?? '?'}"${who.url === undefined ? '' : ` (${who.url})`}`;
        return `${workspace}, bot user @${who.user ?? '?'}${who.user_id === undefined ? '' : ` (${who.user_id})`}`;
      } catch (error) {
        throw new Error(coerceError(error).message, { cause: error });
      }
    },

    async close(): Promise<void> {
      // Stop waiting for quick retries, and close the idle keep-alive connections.
      closing.abort();
      http.close();
    },
  };
}

/** Maps a @slack/web-api error to RetryLaterError, PermanentDeliveryError or a plain (retryable) Error. */
function classify(thrown: unknown, call: string, clean: (text: string) => string): Error {
  const error = coerceError(thrown) as Error & SlackErrorFields;
  const { ErrorCode } = loadSlackApi();
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
 * The client's fetch: a request on `http`, aborted at the current call's deadline, with its failures turned into
 * errors that say what happened: "no answer within 300 ms", "connect ECONNREFUSED 127.0.0.1:9".
 */
function fetchWithReadableErrors(http: HttpClient, timeoutMs: number, deadline: () => number | undefined): FetchFunction {
  return async (url, init) => {
    const end = deadline();
    const remainingMs = end === undefined ? timeoutMs : Math.ceil(end - performance.now());
    if (remainingMs <= 0) throw new Error(`no answer within ${timeoutMs} ms`);
    const body = init?.body;
    if (body !== undefined && typeof body !== 'string') throw new Error('Slack: only JSON and form-encoded calls are made (no file uploads)');
    try {
      return await http.request(url, {
        signal: AbortSignal.timeout(remainingMs),
        ...(init?.method === undefined ? {} : { method: init.method }),
        ...(init?.headers === undefined ? {} : { headers: init.headers }),
        ...(body === undefined ? {} : { body }),
      });
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
    getLevel: () => loadSlackApi().LogLevel.DEBUG,
    setName: () => {},
  };
}

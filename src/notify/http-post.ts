// One JSON POST to a webhook-style endpoint within a bound, quick retries included, with the answer mapped onto
// the outbox's error kinds: 2xx sent; 429 (Retry-After honoured while it fits the bound, else RetryLaterError),
// 5xx and network errors retried quickly then left to the outbox; any other 4xx a PermanentDeliveryError with the
// server's reason. Used by the Teams and signed-webhook channels. Secrets (the URL) are redacted from every error.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentDeliveryError, RetryLaterError, firstLine } from '../errors';
import { redact } from '../log';
import { parseRetryAfter } from '../http-client/retry-after';
import { createHttpClient } from '../http-client/request';

export interface PostOptions {
  /** What is posted to, for errors ("Teams webhook \"mdm\""); never the URL. */
  readonly label: string;
  /** The bound for the whole send, quick retries included. */
  readonly timeoutMs: number;
  readonly quickRetries: number;
  /** Strings removed from every error (the URL, a signing secret). */
  readonly secrets: readonly string[];
  /** Aborted when the channel closes: a quick retry still waiting gives up. */
  readonly signal: AbortSignal;
}

/** A retry is made only if, after its wait, this much of the bound is left for the request itself. */
const MIN_REQUEST_MS = 1000;
const QUICK_BACKOFF_MS = [250, 500, 1000] as const;
/** At most this much of an error body goes into an error message. */
const REASON_MAX = 200;

/**
 * One client for every webhook post of the process (node:http rather than the global fetch, which kept about 20 MiB
 * more resident in an idle daemon); its idle keep-alive connections never hold the process open.
 */
const http = createHttpClient();

/** POSTs `body()` (rebuilt per attempt, e.g. for a fresh signature) to `url` with `headers()`. */
export async function postJson(url: string, body: () => { readonly text: string; readonly headers: Readonly<Record<string, string>> }, options: PostOptions): Promise<void> {
  const clean = (text: string): string => redact(text, [url, ...options.secrets]);
  const deadline = performance.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    const remainingMs = Math.ceil(deadline - performance.now());
    let failure: Error;
    let waitMs: number;
    try {
      if (remainingMs <= 0) throw new Error(`no answer within ${options.timeoutMs} ms`);
      const request = body();
      // A redirect is never followed: its 3xx answer is a failure like a 5xx.
      const response = await http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...request.headers },
        body: request.text,
        signal: AbortSignal.any([AbortSignal.timeout(remainingMs), options.signal]),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return;
      const reason = clean(firstLine(text).slice(0, REASON_MAX)) || response.statusText;
      const message = `${options.label} answered HTTP ${response.status}${reason === '' ? '' : `: ${reason}`}`;
      if (response.status === 429) {
        const seconds = parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? 60;
        failure = new RetryLaterError(message, seconds);
        waitMs = seconds * 1000;
      } else if (response.status >= 400 && response.status < 500 && response.status !== 408) {
        throw new PermanentDeliveryError(message);
      } else {
        failure = new Error(message);
        waitMs = QUICK_BACKOFF_MS[attempt] ?? 1000;
      }
    } catch (thrown) {
      if (thrown instanceof PermanentDeliveryError) throw thrown;
      failure = new Error(clean(`${options.label} request failed: ${describeFetchError(thrown, options.timeoutMs)}`), { cause: thrown });
      waitMs = QUICK_BACKOFF_MS[attempt] ?? 1000;
    }
    if (attempt >= options.quickRetries || options.signal.aborted) throw failure;
    if (performance.now() + waitMs + Math.min(MIN_REQUEST_MS, options.timeoutMs / 4) > deadline) throw failure;
    try {
      await sleep(waitMs, undefined, { signal: options.signal });
    } catch {
      throw failure;
    }
  }
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** "no answer within 300 ms", "fetch failed: ECONNREFUSED" (fetch alone hides the socket error in `cause`). */
export function describeFetchError(thrown: unknown, timeoutMs: number): string {
  const error = (typeof thrown === 'object' && thrown !== null ? thrown : { message: String(thrown) }) as ErrorLike;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const message = typeof error.message === 'string' ? firstLine(error.message) : String(thrown);
  const cause = (typeof error.cause === 'object' && error.cause !== null ? error.cause : {}) as ErrorLike;
  const detail = typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? firstLine(cause.message) : '';
  return detail === '' ? message : `${message}: ${detail}`;
}

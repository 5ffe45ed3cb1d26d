// GET and POST of JSON for the sources that read an MDM's or Apple's API: one bounded policy for every source.
// A call takes at most `timeoutMs`, quick retries included: a 429 or 503 whose Retry-After still leaves time is
// waited out and tried again, other 5xx and network errors after 250 ms then 500 ms; the rest fails at once.
import { firstLine } from '../errors';
import { parseRetryAfter } from '../http-client/retry-after';

/** An answer the source's server gave that is not a success, with the server's own words (never a credential). */
export class SourceHttpError extends Error {
  override readonly name = 'SourceHttpError';
  constructor(
    message: string,
    readonly status: number,
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

export interface HttpJsonOptions {
  /** The longest one call may take, quick retries included. */
  readonly timeoutMs: number;
  /** Quick retries per call; 2 by default, as for Slack. */
  readonly quickRetries?: number;
  /** Aborts the call (shutdown). */
  readonly signal?: AbortSignal;
  /** How to say what an error body means, for this API (e.g. Graph's `error.code: error.message`). */
  readonly describeError?: (body: unknown) => string | null;
}

export interface HttpJsonRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A form body (application/x-www-form-urlencoded), for token requests. */
  readonly form?: Readonly<Record<string, string>>;
}

const QUICK_BACKOFF_MS = [250, 500];
/** A retry is made only if, after its wait, this much of the bound is left for the request itself. */
const MIN_REQUEST_MS = 1000;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** What the error body says, in one line, or the status text. */
function describe(status: number, text: string, options: HttpJsonOptions): string {
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: the text itself
  }
  const said = options.describeError?.(body) ?? (typeof body === 'string' && body.trim() !== '' ? firstLine(body).slice(0, 200) : null);
  return said === null ? `HTTP ${status}` : `HTTP ${status}: ${said}`;
}

/** Sends `request` and parses the JSON answer, within the bound; throws SourceHttpError or a network error. */
export async function requestJson(request: HttpJsonRequest, options: HttpJsonOptions): Promise<unknown> {
  const deadline = Date.now() + options.timeoutMs;
  const quickRetries = options.quickRetries ?? 2;
  for (let attempt = 0; ; attempt++) {
    const left = deadline - Date.now();
    const signals = [AbortSignal.timeout(Math.max(1, left))];
    if (options.signal !== undefined) signals.push(options.signal);
    let waitMs: number;
    let failure: Error;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          ...request.headers,
        },
        ...(request.form === undefined ? {} : { body: new URLSearchParams(request.form).toString() }),
        signal: AbortSignal.any(signals),
        redirect: 'error',
      });
      const text = await response.text();
      if (response.ok) {
        try {
          return text === '' ? null : (JSON.parse(text) as unknown);
        } catch {
          throw new SourceHttpError(`HTTP ${response.status}: the answer is not JSON`, response.status, null);
        }
      }
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      failure = new SourceHttpError(describe(response.status, text, options), response.status, retryAfter);
      if (!isRetryableStatus(response.status)) throw failure;
      waitMs = retryAfter === null ? (QUICK_BACKOFF_MS[attempt] ?? 500) : retryAfter * 1000;
    } catch (thrown) {
      if (thrown instanceof SourceHttpError && !isRetryableStatus(thrown.status)) throw thrown;
      if (options.signal?.aborted === true) throw thrown;
      failure = thrown instanceof Error ? thrown : new Error(String(thrown));
      if (failure.name === 'TimeoutError' || Date.now() >= deadline) {
        // eslint-disable-next-line preserve-caught-error -- the cause is the caught value, as an Error
        throw new Error(`no answer within ${Math.round(options.timeoutMs / 1000)} s`, { cause: failure });
      }
      waitMs = QUICK_BACKOFF_MS[attempt] ?? 500;
    }
    if (attempt >= quickRetries || Date.now() + waitMs + MIN_REQUEST_MS > deadline) throw failure;
    await sleep(waitMs, options.signal);
  }
}

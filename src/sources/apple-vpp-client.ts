// Apple's Apps and Books for Organizations API, read-only: `GET client/config` and nothing else.
// Documentation followed:
// - GET client/config, "Read client-specific information from the server":
//   https://developer.apple.com/documentation/devicemanagement/client-config-71glv (answer: countryISO2ACode,
//   locationName, mdmInfo, notificationAuthToken, tokenExpirationDate such as 2030-11-08T22:33:22+0000, uId…).
// - Its POST twin (https://developer.apple.com/documentation/devicemanagement/client-config-4szk1) *stores* mdmInfo
//   and notification settings: it is never sent from here (it would overwrite which MDM Apple thinks manages the
//   location). This module has no way to send anything but GET.
// - ErrorResponse (https://developer.apple.com/documentation/devicemanagement/errorresponse): Apple answers HTTP 200
//   with `errorNumber` and `errorMessage` for a bad token (9622: invalid token).
// The token (the .vpptoken file's content) goes only into the Authorization header, is held only for the call, and
// is redacted from every error. 5xx, network errors and Retry-After are retried a few times within a bound, as the
// Slack channel does; longer waits are left to the next sync.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError, oneLine } from '../errors';
import { redact } from '../log';

/** What client/config said: a configuration, or Apple's error for this token. Never the notificationAuthToken. */
export type ClientConfigAnswer =
  | {
      readonly type: 'config';
      readonly uId: string | null;
      readonly locationName: string | null;
      readonly countryCode: string | null;
      readonly tokenExpirationDate: string | null;
    }
  | { readonly type: 'error'; readonly errorNumber: number; readonly errorMessage: string };

/** Apple's errorNumber for a token it does not accept. */
export const APPLE_INVALID_TOKEN = 9622;

export interface AppleClientOptions {
  /** e.g. https://vpp.itunes.apple.com/mdm/v2/ */
  readonly baseUrl: string;
  /** The bound for one token's call, retries included. */
  readonly timeoutMs: number;
  /** Quick retries for 5xx, 429 and network errors; 2 by default. */
  readonly quickRetries?: number;
}

/** Backoff between quick retries without a Retry-After: 250 ms, then 500 ms, at most 1 s (the Slack channel's). */
const backoffMs = (attempt: number): number => Math.min(1000, 250 * 2 ** attempt);

/** Seconds of a Retry-After header (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** Reads an answer's JSON: the fields tokenwatch keeps, nothing else (mdmInfo and the notification token are dropped). */
export function parseClientConfig(body: unknown): ClientConfigAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('Apple answered with something that is not a JSON object');
  const fields = body as Record<string, unknown>;
  if (fields['errorNumber'] !== undefined) {
    const errorNumber = Number(fields['errorNumber']);
    return { type: 'error', errorNumber: Number.isFinite(errorNumber) ? errorNumber : -1, errorMessage: text(fields['errorMessage']) ?? 'no message' };
  }
  const uId = fields['uId'];
  return {
    type: 'config',
    uId: typeof uId === 'number' ? String(uId) : text(uId),
    locationName: text(fields['locationName']),
    countryCode: text(fields['countryISO2ACode']),
    tokenExpirationDate: text(fields['tokenExpirationDate']),
  };
}

/**
 * Asks Apple for the configuration of the location `sToken` belongs to. Resolves with Apple's answer (a configuration
 * or Apple's error for the token); throws, with one line and no token, when Apple cannot be asked (network, 5xx or
 * throttling past the bound, an answer that is not JSON).
 */
export async function getClientConfig(options: AppleClientOptions, sToken: string, signal?: AbortSignal): Promise<ClientConfigAnswer> {
  const url = new URL('client/config', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const retries = options.quickRetries ?? 2;
  const deadline = performance.now() + options.timeoutMs;
  const clean = (message: string): string => redact(message, [sToken]);
  for (let attempt = 0; ; attempt += 1) {
    signal?.throwIfAborted();
    const left = deadline - performance.now();
    let failure: string;
    let waitMs = backoffMs(attempt);
    const timeout = AbortSignal.timeout(Math.max(1, Math.floor(left)));
    try {
      const response = await fetch(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${sToken}`, accept: 'application/json' },
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
        redirect: 'error',
      });
      if (response.ok) {
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          throw new Error(`Apple ${url.href}: HTTP ${response.status} with a body that is not JSON`);
        }
        return parseClientConfig(body);
      }
      await response.body?.cancel();
      const after = retryAfterSeconds(response.headers.get('retry-after'), Date.now());
      if (response.status !== 429 && response.status < 500) {
        throw new Error(`Apple ${url.href}: HTTP ${response.status} (expected 200; is TOKENWATCH_APPLE_VPP_URL right?)`);
      }
      failure = `Apple ${url.href}: HTTP ${response.status}${after === null ? '' : ` (Retry-After ${after} s)`}`;
      if (after !== null) waitMs = after * 1000;
    } catch (error) {
      if (signal?.aborted === true) throw coerceError(signal.reason);
      const message = oneLine(error);
      if (message.startsWith('Apple ')) throw new Error(clean(message), { cause: error });
      // However fetch words it (a TimeoutError, or "fetch failed" caused by one), the bound ran out.
      const isTimeout = timeout.aborted || performance.now() >= deadline;
      failure = isTimeout
        ? `Apple ${url.href}: no answer within ${Math.round(options.timeoutMs / 1000)} s`
        : `Apple ${url.href}: ${oneLine(coerceError(error).cause ?? error)}`;
    }
    // Another try only when it can start (and the server's wait end) within the bound.
    if (attempt >= retries || performance.now() + waitMs + 100 > deadline) throw new Error(clean(failure));
    await sleep(waitMs, undefined, signal === undefined ? {} : { signal });
  }
}

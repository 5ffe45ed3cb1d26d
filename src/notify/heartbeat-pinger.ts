// Sends the heartbeat's requests (domain/heartbeat.ts) to the monitor: one attempt per signal within a bound, the
// answer checked (Healthchecks.io: 2xx; Uptime Kuma: 2xx and not `"ok": false`). A failure is logged, with the URL
// redacted wherever it appears, and never thrown: the scan it reports on goes on whatever the monitor does.
import { firstLine } from '../errors';
import { heartbeatRequest, type HeartbeatKind, type HeartbeatPing, type HeartbeatSignal } from '../domain/heartbeat';
import { redact, type Logger } from '../log';
import { describeFetchError } from './http-post';

export interface HeartbeatPingerOptions {
  /** TOKENWATCH_HEARTBEAT_URL: a secret, never logged. */
  readonly url: string;
  readonly kind: HeartbeatKind;
  /** The bound for one request. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Strings removed from every log line besides the URL (the other configured secrets). */
  readonly secrets: readonly string[];
}

/** Words of the monitors' ping paths (Healthchecks.io `/ping/…`, Uptime Kuma `/api/push/…`): not secret, kept in logs. */
const PUBLIC_PATH_PARTS = new Set(['ping', 'api', 'push', 'start', 'fail']);

/** At most this much of an answer's body goes into a log line. */
const REASON_MAX = 200;

export function createHeartbeatPinger(options: HeartbeatPingerOptions): HeartbeatPing {
  const { kind, logger } = options;
  // The URL as configured, without its query (the requests carry it with a suffix or another query), its path, and
  // each part of the path but the monitors' own words: the check's UUID, ping key or push token is what is secret.
  const base = new URL(options.url);
  const path = base.pathname.replace(/\/+$/, '');
  const parts = path.split('/').filter((part) => part !== '' && !PUBLIC_PATH_PARTS.has(part));
  const hidden = [options.url, `${base.origin}${path}`, ...(path === '' ? [] : [path]), ...parts, ...options.secrets];
  const clean = (text: string): string => redact(text, hidden);
  return {
    async send(signal: HeartbeatSignal, message: string, durationMs = 0): Promise<void> {
      const request = heartbeatRequest(kind, options.url, signal, clean(message), durationMs);
      if (request === null) return;
      try {
        const response = await fetch(request.url, {
          method: request.method,
          ...(request.body === undefined ? {} : { body: request.body, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
          signal: AbortSignal.timeout(options.timeoutMs),
          redirect: 'follow',
        });
        const text = await response.text().catch(() => '');
        const refusal = refusalOf(kind, response.status, text);
        if (refusal === null) {
          logger.debug('heartbeat.sent', { kind, signal });
          return;
        }
        logger.warn('heartbeat.failed', { kind, signal, error: clean(`the monitor answered HTTP ${response.status}${refusal === '' ? '' : `: ${refusal}`}`) });
      } catch (error) {
        logger.warn('heartbeat.failed', { kind, signal, error: clean(`request failed: ${describeFetchError(error, options.timeoutMs)}`) });
      }
    },
  };
}

/** Why the monitor refused the ping (its reason, possibly empty), or null when it took it. */
function refusalOf(kind: HeartbeatKind, status: number, text: string): string | null {
  let reason = firstLine(text).slice(0, REASON_MAX);
  if (kind === 'uptime-kuma') {
    try {
      const answer = JSON.parse(text) as { ok?: unknown; msg?: unknown };
      if (typeof answer.msg === 'string') reason = firstLine(answer.msg).slice(0, REASON_MAX);
      if (answer.ok === false) return reason;
    } catch {
      // Not JSON (a proxy's page): the status decides.
    }
  }
  return status >= 200 && status < 300 ? null : reason;
}

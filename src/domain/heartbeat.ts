// The heartbeat: the daemon tells an outside monitor about each of its scans, so that a tokenwatch that stopped is
// noticed by the monitor the team already has. Pure: which monitor a URL is, and the request each signal becomes;
// the HTTP edge (notify/heartbeat-pinger.ts) sends it.
//
// Healthchecks.io, Pinging API (https://healthchecks.io/docs/http_api/): `<ping URL>` signals success,
// `<ping URL>/start` a start and `<ping URL>/fail` a failure; HEAD, GET and POST are accepted, a POST body is logged
// with the ping (first 100 kB, https://healthchecks.io/docs/attaching_logs/), the answer is 200 and "OK".
// Signalling failures: https://healthchecks.io/docs/signaling_failures/.
// Uptime Kuma, push monitor (server/routers/api-router.js, route `/api/push/:pushToken`, any method): query `status`
// (`up`, anything else is down), `msg` (default "OK") and `ping` (milliseconds, 0 to 86,400,000, else 400); the
// answer is 200 `{"ok":true}`, or `{"ok":false,"msg":…}` (500 for an unknown or paused monitor). A push monitor has no
// start signal: it only hears the outcome.
import { InputError } from '../errors';

export const HEARTBEAT_KINDS = ['healthchecks', 'uptime-kuma'] as const;
export type HeartbeatKind = (typeof HEARTBEAT_KINDS)[number];

/** What the daemon tells the monitor: a scan started, finished, or failed. */
export type HeartbeatSignal = 'start' | 'success' | 'fail';

/** One HTTP request to the monitor. */
export interface HeartbeatRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Plain text logged by the monitor with the ping (Healthchecks.io); absent for a GET. */
  readonly body?: string;
}

/** The most of a message the monitor is sent: a reason is one line, this only guards against a runaway one. */
const BODY_MAX = 10_000;
/** Uptime Kuma shows `msg` in its list of beats: kept short. */
const KUMA_MSG_MAX = 250;
/** Uptime Kuma refuses a `ping` above 24 hours. */
const KUMA_PING_MAX_MS = 86_400_000;

/**
 * TOKENWATCH_HEARTBEAT_URL: an http(s) address. It is a secret (whoever has it can report for tokenwatch), so an
 * error never repeats it.
 */
export function parseHeartbeatUrl(value: string, where: string): string {
  const expected = 'expected the ping URL of a Healthchecks.io check, e.g. https://hc-ping.com/<uuid>, or the push URL of an Uptime Kuma monitor';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(`${where}: not a URL (${expected})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`${where}: not an http(s) URL (${expected})`);
  return url.href;
}

/** TOKENWATCH_HEARTBEAT_KIND: `healthchecks` or `uptime-kuma`. */
export function parseHeartbeatKind(value: string, where: string): HeartbeatKind {
  const kind = HEARTBEAT_KINDS.find((k) => k === value.trim().toLowerCase());
  if (kind === undefined) throw new InputError(`${where}: "${value.trim()}" is not a heartbeat kind (expected ${HEARTBEAT_KINDS.join(' or ')}; unset: told from the URL)`);
  return kind;
}

/** The monitor a URL belongs to when TOKENWATCH_HEARTBEAT_KIND is unset: Uptime Kuma's push URLs have `/api/push/<token>`. */
export function detectHeartbeatKind(url: string): HeartbeatKind {
  return /\/api\/push\/[^/]+\/?$/.test(new URL(url).pathname) ? 'uptime-kuma' : 'healthchecks';
}

/**
 * The request for `signal`, or null when the monitor has no such signal (Uptime Kuma: start). `message` is the
 * outcome in one line (the counts, or why the scan failed); `durationMs` how long the scan took.
 */
export function heartbeatRequest(kind: HeartbeatKind, base: string, signal: HeartbeatSignal, message: string, durationMs = 0): HeartbeatRequest | null {
  const url = new URL(base);
  if (kind === 'uptime-kuma') {
    if (signal === 'start') return null;
    // The URL Uptime Kuma shows ends in `?status=up&msg=OK&ping=`: those three are replaced, any other kept.
    url.searchParams.set('status', signal === 'success' ? 'up' : 'down');
    url.searchParams.set('msg', cutTo(message, KUMA_MSG_MAX));
    url.searchParams.set('ping', String(Math.min(KUMA_PING_MAX_MS, Math.max(0, Math.round(durationMs)))));
    return { method: 'GET', url: url.href };
  }
  // The suffix goes on the path, before any query (a slug URL may carry `?create=1`).
  const path = url.pathname.replace(/\/+$/, '');
  if (signal !== 'success') url.pathname = `${path}/${signal}`;
  else url.pathname = path === '' ? '/' : path;
  return { method: 'POST', url: url.href, body: cutTo(message, BODY_MAX) };
}

function cutTo(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Sends one signal to the monitor. Never rejects: a failed ping is logged and never breaks the scan. */
export interface HeartbeatPing {
  send(signal: HeartbeatSignal, message: string, durationMs?: number): Promise<void>;
}

// The daemon's HTTP edge on node:http (no framework): GET /healthz, GET /metrics and the status page at GET /.
// Read-only: it never writes to the registry. /healthz reads the database and the daemon's status afresh; the page and
// /metrics are computed at most once per registry change or per few seconds and served from memory, gzipped when the
// client takes it, with an ETag for conditional requests (response-cache.ts). The page and /metrics ask for the
// configured authentication (auth.ts); /healthz is open unless asked otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import { formatAddress, type ListenAddress } from '../config';
import type { DaemonStatus } from '../daemon/daemon';
import type { DuePolicy } from '../domain/due-reminders';
import { InputError, errorCode, oneLine } from '../errors';
import { redact, type Logger } from '../log';
import type { RegistryStats } from '../store/registry-stats';
import { Authenticator, challenges, type AuthFailure } from './auth';
import { assertExposureAllowed, OPEN_ACCESS, type HttpAccess } from './exposure';
import { healthReport, type DatabaseCheck, type SourceHealth } from './health';
import type { Metrics } from './metrics';
import { acceptsGzip, cachedBody, matchesIfNoneMatch, ResponseCache, type CachedBody } from './response-cache';
import { renderStatusPage } from './status-page';
import { buildStatusView, SEARCH_MAX_LENGTH, type PageRequest } from './status-view';

export interface StatusServerSources {
  readonly clock: Clock;
  readonly policy: DuePolicy;
  /** The registry figures; throws while the database is unavailable. */
  readonly stats: () => RegistryStats;
  /** Null while the daemon has not started (it waits for the database). */
  readonly daemonStatus: () => DaemonStatus | null;
  readonly logger: Logger;
  /** Secret values to keep out of every response (errors are shown on the page and in /healthz). */
  readonly secrets?: readonly string[];
  /** Who may read the page and /metrics; no authentication (loopback only) when absent. */
  readonly access?: HttpAccess;
  /**
   * A counter the daemon bumps after each scan, retry pass and lease change: its own writes, which SQLite's
   * data_version does not show on its own connection. Absent: only other connections' writes and the age limit count.
   */
  readonly registryGeneration?: () => number;
  /** How long a computed page or scrape may be served (default CACHE_MAX_AGE_MS). */
  readonly cacheMaxAgeMs?: number;
  /** The configured sources and how their last reads went; throws while the database is unavailable. */
  readonly sources?: () => readonly SourceHealth[];
}

/** The longest the page and /metrics are served from memory when nothing has changed (time passes: days left…). */
export const CACHE_MAX_AGE_MS = 5000;
/** Different pages and searches kept at once (each some tens of KiB). */
const CACHE_ENTRIES = 64;

export interface StatusServer {
  /** `http://127.0.0.1:9412/`: where it listens (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // The page needs nothing but its own inline CSS; even an escaping mistake could not run a script.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

/** At most one `http.unauthorized` line per this many milliseconds; the others are counted in the next line. */
const UNAUTHORIZED_LOG_INTERVAL_MS = 1000;

/**
 * Starts listening; a taken or unusable address, or a non-loopback address without authentication (unless made
 * public), is an InputError naming it (the daemon exits 2).
 */
export async function startStatusServer(address: ListenAddress, sources: StatusServerSources): Promise<StatusServer> {
  const access = sources.access ?? OPEN_ACCESS;
  assertExposureAllowed(address, access);
  const authenticator = new Authenticator(access.auth);
  // prom-client (with @opentelemetry/api: 88 modules) is loaded on the first /metrics request, so that a daemon nobody
  // scrapes (only /healthz, as the Docker health check) never holds it: about 2 MiB of the idle daemon's RSS. Node's
  // default metrics (event-loop lag, GC durations) count from that first scrape, as a scraper sees them anyway.
  let metrics: Metrics | null = null;
  const metricsNow = (): Metrics => {
    if (metrics === null) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createMetrics } = require('./metrics') as typeof import('./metrics');
      metrics = createMetrics({
        clock: sources.clock,
        zone: sources.policy.zone,
        thresholds: sources.policy.thresholds,
        stats: sources.stats,
        daemonStatus: sources.daemonStatus,
        ...(sources.sources === undefined ? {} : { sources: sources.sources }),
      });
    }
    return metrics;
  };
  const redactSecrets = (text: string): string => redact(text, sources.secrets ?? []);

  const checkDatabase = (): DatabaseCheck => {
    try {
      sources.stats().ping();
      return { isOk: true };
    } catch (error) {
      return { isOk: false, error: redactSecrets(oneLine(error)) };
    }
  };
  const sourceHealth = (): readonly SourceHealth[] => {
    try {
      return sources.sources?.() ?? [];
    } catch {
      return []; // the database is unavailable: health says so
    }
  };
  const health = () =>
    healthReport({
      daemon: sources.daemonStatus(),
      database: checkDatabase(),
      now: sources.clock.now(),
      zone: sources.policy.zone,
      sources: sourceHealth(),
    });

  const send = (res: http.ServerResponse, isHead: boolean, status: number, type: string, body: string): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(isHead ? undefined : body);
  };

  const cache = new ResponseCache({
    maxAgeMs: sources.cacheMaxAgeMs ?? CACHE_MAX_AGE_MS,
    maxEntries: CACHE_ENTRIES,
    nowMs: () => sources.clock.now().toMillis(),
  });
  /** The registry's version as far as this process can tell; null when the database cannot be read (never cached). */
  const registryVersion = (): string | null => {
    try {
      return `${sources.registryGeneration?.() ?? 0}:${sources.stats().dataVersion()}`;
    } catch {
      return null;
    }
  };
  /** A cached answer: 304 when the client has it already, gzipped when the client takes it. */
  const sendCached = (req: http.IncomingMessage, res: http.ServerResponse, isHead: boolean, type: string, answer: CachedBody, status = 200): void => {
    // Browsers keep the page but ask again each time (no-cache), sending the ETag back; shared caches keep nothing.
    const headers = { ...SECURITY_HEADERS, 'cache-control': 'private, no-cache', etag: answer.etag, vary: 'Accept-Encoding' };
    if (status === 200 && matchesIfNoneMatch(req.headers['if-none-match'], answer.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const isGzip = answer.gzipped !== null && acceptsGzip(req.headers['accept-encoding']);
    const body = isGzip && answer.gzipped !== null ? answer.gzipped : answer.body;
    res.writeHead(status, { ...headers, 'content-type': type, 'content-length': body.length, ...(isGzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(isHead ? undefined : body);
  };

  // Failed authentication is logged without the credential, at most once a second (a scan of the port must not
  // flood the log); the lines in between are counted.
  let lastUnauthorizedLogMs = Number.NEGATIVE_INFINITY;
  let unlogged = 0;
  const logUnauthorized = (req: http.IncomingMessage, path: string, reason: AuthFailure): void => {
    const nowMs = sources.clock.now().toMillis();
    if (nowMs - lastUnauthorizedLogMs < UNAUTHORIZED_LOG_INTERVAL_MS) {
      unlogged += 1;
      return;
    }
    lastUnauthorizedLogMs = nowMs;
    sources.logger.warn('http.unauthorized', { path, reason, remote: req.socket.remoteAddress ?? 'unknown', notLoggedBefore: unlogged });
    unlogged = 0;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const isHead = req.method === 'HEAD';
    if (req.method !== 'GET' && !isHead) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, false, 405, 'text/plain; charset=utf-8', 'method not allowed (expected GET or HEAD)\n');
      return;
    }
    if (authenticator.isRequired && (path !== '/healthz' || access.isHealthzProtected)) {
      const result = await authenticator.check(req.headers.authorization);
      if (!result.isAllowed) {
        logUnauthorized(req, path, result.reason);
        res.setHeader('www-authenticate', challenges(access.auth, result.reason));
        send(res, isHead, 401, 'text/plain; charset=utf-8', 'authentication required (see docs/http.md)\n');
        return;
      }
    }
    if (path === '/healthz') {
      const report = health();
      send(res, isHead, report.statusCode, 'application/json; charset=utf-8', `${redactSecrets(JSON.stringify(report.body, null, 2))}\n`);
    } else if (path === '/metrics') {
      const answer = await cache.get('/metrics', registryVersion(), async () => cachedBody(await metricsNow().render()));
      sendCached(req, res, isHead, metricsNow().contentType, answer);
    } else if (path === '/') {
      const request = pageRequest(url.searchParams);
      if (typeof request === 'string') {
        send(res, isHead, 400, 'text/plain; charset=utf-8', `${request}\n`);
        return;
      }
      const version = registryVersion();
      if (version === null) {
        // health() checks the database once more, and names the problem.
        const { database } = health().body;
        send(res, isHead, 503, 'text/plain; charset=utf-8', `tokenwatch: the registry database is unavailable (${database.error ?? 'unknown error'})\n`);
        return;
      }
      const key = `/?page=${request.page}&q=${request.search ?? ''}`;
      const answer = await cache.get(key, version, () => {
        const view = buildStatusView(sources.stats(), health(), sources.clock.now(), sources.policy, request);
        return cachedBody(redactSecrets(renderStatusPage(view)));
      });
      sendCached(req, res, isHead, 'text/html; charset=utf-8', answer);
    } else {
      send(res, isHead, 404, 'text/plain; charset=utf-8', 'not found (expected /, /healthz or /metrics)\n');
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sources.logger.error('http.failed', { path: req.url ?? '', error: redactSecrets(oneLine(error)) });
      if (!res.headersSent) send(res, false, 500, 'text/plain; charset=utf-8', 'internal error (see the daemon log)\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(listenError(address, error));
    server.once('error', onError);
    server.listen({ host: address.host, port: address.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => sources.logger.error('http.error', { error: oneLine(error) }));
  const { port } = server.address() as AddressInfo;
  const url = `http://${formatAddress({ host: address.host, port })}/`;
  sources.logger.info('http.listening', { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `?page=N&q=TEXT` → which page of the token table; a one-line message for a bad page number. */
function pageRequest(params: URLSearchParams): PageRequest | string {
  const pageText = params.get('page');
  let page = 1;
  if (pageText !== null && pageText !== '') {
    if (!/^\d{1,9}$/.test(pageText) || Number(pageText) < 1) {
      return `page: ${JSON.stringify(pageText.slice(0, 20))} is not a page number (expected a whole number from 1)`;
    }
    page = Number(pageText);
  }
  const search = (params.get('q') ?? '').trim().slice(0, SEARCH_MAX_LENGTH);
  return { page, search: search === '' ? null : search };
}

function listenError(address: ListenAddress, error: Error): Error {
  const where = `HTTP address ${formatAddress(address)} (TOKENWATCH_HTTP)`;
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new InputError(`${where}: already in use by another process (expected a free port, or "off" to serve no HTTP)`);
    case 'EACCES':
      return new InputError(`${where}: not allowed to listen there (expected a port above 1023, or "off")`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InputError(`${where}: no such address on this host (expected e.g. 127.0.0.1:9412 or 0.0.0.0:9412, or "off")`);
    default:
      return new InputError(`${where}: cannot listen (${oneLine(error)})`);
  }
}

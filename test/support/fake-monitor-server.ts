// A local HTTP server speaking the ping APIs of the two monitors the heartbeat supports, recording every ping.
//
// Healthchecks.io Pinging API (https://healthchecks.io/docs/http_api/ and /docs/signaling_failures/): a check is
// pinged at `/ping/<uuid>` (success), `/ping/<uuid>/start` and `/ping/<uuid>/fail`, by HEAD, GET or POST; a POST body
// is logged with the ping (first 100 kB: https://healthchecks.io/docs/attaching_logs/); the answer is 200 "OK", and
// an unknown check gets 404 "not found".
// Uptime Kuma push monitors (louislam/uptime-kuma server/routers/api-router.js, `router.all("/api/push/:pushToken")`):
// `status` (`up`, else down; default up), `msg` (default "OK"), `ping` (ms, 0 to 86,400,000, else 400 with
// `{"ok":false,"msg":…}`); an unknown or paused push token gets 500 `{"ok":false,"msg":"Monitor not found or not
// active."}`; otherwise 200 `{"ok":true}`.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Ping {
  readonly monitor: 'healthchecks' | 'uptime-kuma';
  readonly method: string;
  /** Healthchecks.io: `success`, `start` or `fail`; Uptime Kuma: `up` or `down`. */
  readonly signal: string;
  /** Healthchecks.io: the logged body; Uptime Kuma: `msg`. */
  readonly message: string;
  /** Uptime Kuma's `ping` (ms), null when absent. */
  readonly pingMs: number | null;
}

export interface FakeMonitorServer {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** Pings the monitor took, in order. */
  readonly pings: readonly Ping[];
  /** Requests it refused (unknown check, bad ping value), as `METHOD path`. */
  readonly refused: readonly string[];
  /** The next `count` requests get this answer (500 and a body naming the path), or no answer at all with `hang`. */
  failNext(count: number, how: 'error' | 'hang'): void;
  close(): Promise<void>;
}

export async function startFakeMonitor(options: { readonly checks: readonly string[]; readonly pushTokens: readonly string[] }): Promise<FakeMonitorServer> {
  const pings: Ping[] = [];
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  let failing: { count: number; how: 'error' | 'hang' } = { count: 0, how: 'error' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      if (failing.count > 0) {
        failing.count -= 1;
        if (failing.how === 'hang') return;
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`internal error while handling ${url.pathname}`);
        return;
      }
      const check = /^\/ping\/([^/]+)(?:\/(start|fail))?\/?$/.exec(url.pathname);
      if (check !== null) {
        if (!options.checks.includes(check[1] ?? '')) {
          refused.push(`${method} ${url.pathname}`);
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found');
          return;
        }
        const body = Buffer.concat(chunks).subarray(0, 100_000).toString('utf8');
        pings.push({ monitor: 'healthchecks', method, signal: check[2] ?? 'success', message: body, pingMs: null });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK');
        return;
      }
      const push = /^\/api\/push\/([^/]+)$/.exec(url.pathname);
      if (push !== null) {
        const json = (status: number, body: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const ping = url.searchParams.get('ping');
        const pingMs = ping === null || ping === '' ? null : Number(ping);
        if (pingMs !== null && (Number.isNaN(pingMs) || pingMs < 0 || pingMs > 86_400_000)) {
          refused.push(`${method} ${url.pathname}`);
          json(400, { ok: false, msg: `Invalid ping value: '${ping ?? ''}'` });
          return;
        }
        if (!options.pushTokens.includes(push[1] ?? '')) {
          refused.push(`${method} ${url.pathname}`);
          json(500, { ok: false, msg: 'Monitor not found or not active.' });
          return;
        }
        const status = url.searchParams.get('status') ?? 'up';
        pings.push({ monitor: 'uptime-kuma', method, signal: status === 'up' ? 'up' : 'down', message: url.searchParams.get('msg') ?? 'OK', pingMs });
        json(200, { ok: true });
        return;
      }
      refused.push(`${method} ${url.pathname}`);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    pings,
    refused,
    failNext: (count, how) => {
      failing = { count, how };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

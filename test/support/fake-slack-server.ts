// A small HTTP server on 127.0.0.1 that answers like Slack's Web API (chat.postMessage, auth.test), for tests.
// Records every call; can be scripted to rate-limit, fail, refuse or never answer.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SlackCall {
  /** API method, e.g. 'chat.postMessage'. */
  readonly method: string;
  /** Token from `Authorization: Bearer …` (or a `token` argument); null when none was sent. */
  readonly token: string | null;
  readonly contentType: string;
  /**
   * The arguments. Form-encoded values stay strings (`unfurl_links: 'false'`), except values that are JSON
   * arrays or objects (`blocks`, `attachments`), which are parsed, as Slack does.
   */
  readonly args: Record<string, unknown>;
}

/**
 * One scripted answer, used by the next call (of `method`, when given) instead of the normal one.
 * `{ status: 429, retryAfter: 2 }`, `{ status: 500 }`, `{ ok: false, error: 'channel_not_found' }`, `{ hang: true }`.
 */
export interface SlackScript {
  readonly method?: string;
  /** HTTP status; 200 by default. */
  readonly status?: number;
  /** Retry-After header, in seconds. */
  readonly retryAfter?: number;
  /** With `error`: answer `{ ok: false, error }`. */
  readonly ok?: boolean;
  readonly error?: string;
  /** Extra fields merged into the JSON answer (or a raw body string). */
  readonly body?: Record<string, unknown> | string;
  /** Never answer (the connection stays open until the client gives up or the server closes). */
  readonly hang?: boolean;
}

export interface FakeSlackOptions {
  /** When set, any other token gets `invalid_auth` and a missing one `not_authed`. */
  readonly token?: string;
}

export interface FakeSlackServer {
  /** http://127.0.0.1:PORT/api/ */
  readonly apiUrl: string;
  readonly calls: readonly SlackCall[];
  /** The recorded calls of one method. */
  callsTo(method: string): SlackCall[];
  /** Queues scripted answers, used in order. */
  script(...responses: SlackScript[]): void;
  /** Answers every call with `response` once the queued scripts are used up, until called with null (recovery). */
  keepAnswering(response: SlackScript | null): void;
  /** Resolves once at least `count` calls (of `method`, when given) arrived; rejects after `timeoutMs`. */
  waitForCalls(count: number, options?: { method?: string; timeoutMs?: number }): Promise<SlackCall[]>;
  /** Stops listening and destroys open sockets (including hanging requests). */
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlackServer> {
  const calls: SlackCall[] = [];
  const queue: SlackScript[] = [];
  let standing: SlackScript | null = null;
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let ts = 1_700_000_000;

  const takeScript = (method: string): SlackScript | null => {
    const index = queue.findIndex((entry) => entry.method === undefined || entry.method === method);
    if (index >= 0) return queue.splice(index, 1)[0] ?? null;
    return standing !== null && (standing.method === undefined || standing.method === method) ? standing : null;
  };

  const normalAnswer = (call: SlackCall): Record<string, unknown> => {
    if (options.token !== undefined && call.token !== options.token) {
      return { ok: false, error: call.token === null ? 'not_authed' : 'invalid_auth' };
    }
    if (call.method === 'chat.postMessage') {
      ts += 1;
      const channel = call.args['channel'];
      if (typeof channel !== 'string' || channel === '') return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel, ts: `${ts}.000100`, message: { type: 'message', text: call.args['text'] ?? '', ts: `${ts}.000100` } };
    }
    if (call.method === 'auth.test') {
      return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'tokenwatch', team_id: 'T0001', user_id: 'U0001', bot_id: 'B0001' };
    }
    return { ok: false, error: 'unknown_method' };
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const contentType = request.headers['content-type'] ?? '';
      const args = parseBody(Buffer.concat(chunks).toString('utf8'), contentType);
      const call: SlackCall = { method, token: bearer(request.headers.authorization) ?? stringOrNull(args['token']), contentType, args };
      calls.push(call);
      events.emit('call');

      const scripted = takeScript(method);
      if (scripted?.hang === true) return;
      const status = scripted?.status ?? 200;
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (scripted?.retryAfter !== undefined) headers['retry-after'] = String(scripted.retryAfter);
      let body: string;
      if (typeof scripted?.body === 'string') {
        body = scripted.body;
      } else if (scripted === null) {
        body = JSON.stringify(normalAnswer(call));
      } else if (status === 429) {
        body = JSON.stringify({ ok: false, error: 'ratelimited', ...scripted.body });
      } else if (status !== 200) {
        headers['content-type'] = 'text/plain';
        body = `HTTP ${status}`;
      } else if (scripted.error !== undefined || scripted.ok === false) {
        body = JSON.stringify({ ok: false, error: scripted.error ?? 'unknown_error', ...scripted.body });
      } else {
        body = JSON.stringify({ ...normalAnswer(call), ...scripted.body });
      }
      response.writeHead(status, headers).end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    script(...responses) {
      queue.push(...responses);
    },
    keepAnswering(response) {
      standing = response;
    },
    waitForCalls(count, { method, timeoutMs = 5000 } = {}) {
      const matching = (): SlackCall[] => (method === undefined ? [...calls] : calls.filter((call) => call.method === method));
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = matching();
          if (found.length < count) return false;
          clearTimeout(timer);
          events.off('call', check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          events.off('call', check);
          reject(new Error(`fake Slack: expected ${count} call(s)${method === undefined ? '' : ` to ${method}`} within ${timeoutMs} ms, got ${matching().length}`));
        }, timeoutMs);
        if (!check()) events.on('call', check);
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function parseBody(body: string, contentType: string): Record<string, unknown> {
  if (body === '') return {};
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^\s*[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

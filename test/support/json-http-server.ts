// A small HTTP server on 127.0.0.1 for the fakes of the APIs that sources read (Microsoft Graph, Jamf Pro):
// routes answer JSON; every request is recorded; answers can be scripted (429 with Retry-After, 5xx, a hang).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A scripted answer for the next request whose path starts with `path` (any request when absent). */
export interface ScriptedAnswer extends Partial<JsonAnswer> {
  readonly path?: string;
  /** Never answer. */
  readonly hang?: boolean;
}

export type Route = (request: RecordedRequest, url: URL) => JsonAnswer | null;

export interface JsonHttpServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  script(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startJsonHttpServer(route: Route): Promise<JsonHttpServer> {
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedAnswer[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const url = new URL(recorded.url, 'http://127.0.0.1');
      const index = scripted.findIndex((answer) => answer.path === undefined || url.pathname.startsWith(answer.path));
      const script = index === -1 ? undefined : scripted.splice(index, 1)[0];
      if (script?.hang === true) return;
      const answer: JsonAnswer =
        script !== undefined && script.status !== undefined ? { status: script.status, body: script.body, ...(script.headers ? { headers: script.headers } : {}) } : (route(recorded, url) ?? { status: 404, body: { error: 'not found' } });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    script: (...answers) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The fields of an application/x-www-form-urlencoded body. */
export function formOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

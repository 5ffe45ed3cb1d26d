// Local servers the bench delivers to: an SMTP server (smtp-server, a devDependency) and an HTTP server answering
// Slack's Web API like Slack does. They accept everything and only count; the tests have their own, richer ones.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Sink {
  /** smtp://127.0.0.1:PORT or http://127.0.0.1:PORT/api/ */
  readonly url: string;
  /** Messages accepted so far. */
  count(): number;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<Sink> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startSlackSink(): Promise<Sink> {
  let received = 0;
  let ts = 1_700_000_000;
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    request.on('data', () => {});
    request.on('end', () => {
      const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      let body: Record<string, unknown> = { ok: false, error: 'unknown_method' };
      if (method === 'chat.postMessage') {
        received += 1;
        ts += 1;
        body = { ok: true, channel: 'C0001', ts: `${ts}.000100` };
      } else if (method === 'auth.test') {
        body = { ok: true, team: 'Bench', user: 'tokenwatch', team_id: 'T0001', user_id: 'U0001' };
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    count: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

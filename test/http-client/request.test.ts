// The small HTTP client of outgoing calls (node:http instead of fetch): what it sends and returns, aborting by signal, refused
// connections, redirects left unfollowed, and close() ending its keep-alive connections. Against a local server.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpClient, type HttpClient } from '../../src/http-client/request';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('the channels HTTP client', () => {
  let server: http.Server;
  let base: string;
  let client: HttpClient;
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let closedSockets = 0;

  beforeEach(async () => {
    seen.length = 0;
    closedSockets = 0;
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        if (request.url === '/silent') return; // never answers
        if (request.url === '/moved') {
          response.writeHead(302, { location: '/elsewhere' }).end();
          return;
        }
        response.setHeader('Set-Cookie', ['a=1', 'b=2']);
        response.writeHead(429, 'Too Many Requests', { 'Content-Type': 'application/json', 'Retry-After': '7' });
        response.end(JSON.stringify({ ok: false, error: 'ratelimited', echo: body }));
      });
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => {
        closedSockets += 1;
        sockets.delete(socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createHttpClient();
  });

  afterEach(async () => {
    client.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body with its length, and returns status, reason, headers and body', async () => {
    const response = await client.request(`${base}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
      body: '{"text":"é"}',
    });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/chat.postMessage', body: '{"text":"é"}' });
    expect(seen[0]?.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test', 'content-length': '13' });
    expect(response).toMatchObject({ ok: false, status: 429, statusText: 'Too Many Requests', url: `${base}/api/chat.postMessage` });
    expect(response.headers.get('RETRY-AFTER')).toBe('7');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(response.headers.get('x-absent')).toBeNull();
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({ 'content-type': 'application/json', 'retry-after': '7' });
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited', echo: '{"text":"é"}' });
    expect(await response.text()).toContain('ratelimited');
  });

  it('aborts a request the server does not answer with the signal reason, as fetch does', async () => {
    const error = (await client.request(`${base}/silent`, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('TimeoutError');
    const controller = new AbortController();
    controller.abort();
    await expect(client.request(`${base}/`, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a refused connection with the socket error, and leaves a redirect unfollowed', async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await expect(client.request(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED', message: expect.stringMatching(/ECONNREFUSED/) });
    server = http.createServer((_request, response) => response.writeHead(302, { location: '/elsewhere' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const moved = await client.request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/moved`);
    expect(moved).toMatchObject({ ok: false, status: 302 });
    expect(moved.headers.get('location')).toBe('/elsewhere');
  });

  it('reuses one connection for requests in turn, and close() ends it', async () => {
    for (let i = 0; i < 3; i += 1) await client.request(`${base}/`, { method: 'POST', body: String(i) });
    expect(seen).toHaveLength(3);
    expect(sockets.size).toBe(1);
    client.close();
    for (let wait = 0; wait < 50 && closedSockets === 0; wait += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closedSockets).toBe(1);
  });
});

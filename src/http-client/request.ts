// A small HTTP client for outgoing calls (the Slack and webhook channels today), on node:http and node:https, shaped
// like the part of fetch they use (status, headers, text and json; a signal that aborts; redirects never followed).
// Why not the global fetch: after a thousand posts it kept about 20 MiB more resident than node:http (undici's
// WebAssembly parser memory and connection state), memory an idle daemon never gave back (docs/performance.md).
// Each user makes its own client; close() ends its keep-alive connections.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

export interface HttpRequestInit {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the request (or the reading of its answer) with the signal's reason, as fetch does. */
  readonly signal?: AbortSignal;
}

export interface HttpHeaders {
  /** The header's value (several joined by ", "), case-insensitive; null when absent. */
  get(name: string): string | null;
  entries(): IterableIterator<[string, string]>;
}

export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: HttpHeaders;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface HttpClient {
  request(url: string | URL, init?: HttpRequestInit): Promise<HttpResponse>;
  /** Ends the keep-alive connections: idle ones at once, busy ones once their answer is read. */
  close(): void;
}

/** Answers longer than this are refused (the APIs the channels call answer with a few hundred bytes). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function headersOf(incoming: http.IncomingHttpHeaders): HttpHeaders {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined) map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return { get: (name) => map.get(name.toLowerCase()) ?? null, entries: () => map.entries() };
}

/** The error fetch gives for an aborted request: the signal's reason (a TimeoutError for AbortSignal.timeout). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  // A DOMException (AbortSignal.timeout's TimeoutError) is not an Error of every realm: tell it by its name.
  if (typeof reason === 'object' && reason !== null && typeof (reason as { name?: unknown }).name === 'string') return reason as Error;
  const error = new Error('This operation was aborted');
  error.name = 'AbortError';
  return error;
}

export function createHttpClient(): HttpClient {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  let isClosed = false;
  for (const agent of [agents.http, agents.https]) {
    // Once closed, a connection whose request has finished is ended instead of kept for the next one.
    agent.on('free', (socket: Socket) => {
      if (isClosed) socket.destroy();
    });
  }
  return {
    request(target, init = {}) {
      const url = typeof target === 'string' ? new URL(target) : target;
      const isHttps = url.protocol === 'https:';
      if (!isHttps && url.protocol !== 'http:') return Promise.reject(new Error(`unsupported URL scheme ${url.protocol} (expected http or https)`));
      const { signal } = init;
      if (signal?.aborted === true) return Promise.reject(abortError(signal));
      return new Promise<HttpResponse>((resolve, reject) => {
        const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
        const headers: Record<string, string | number> = { ...init.headers };
        if (body !== undefined) headers['content-length'] = body.length;
        const options: http.RequestOptions = { method: init.method ?? 'GET', headers, agent: isHttps ? agents.https : agents.http };
        const request = (isHttps ? https : http).request(url, options, (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              request.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', fail);
          response.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            const bytes = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            const text = (): Promise<string> => Promise.resolve(bytes.toString('utf8'));
            resolve({
              ok: status >= 200 && status < 300,
              status,
              statusText: response.statusMessage ?? '',
              url: url.href,
              headers: headersOf(response.headers),
              text,
              json: async () => JSON.parse(await text()) as unknown,
              arrayBuffer: () => Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
            });
          });
        });
        function fail(error: Error): void {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        }
        function onAbort(): void {
          if (signal !== undefined) request.destroy(abortError(signal));
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        request.on('error', fail);
        request.end(body);
      });
    },
    close() {
      // Idle connections end now; one still carrying a request ends when its answer has been read (see 'free').
      isClosed = true;
      for (const agent of [agents.http, agents.https]) {
        for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
      }
    },
  };
}

// Worker thread of the bench's HTTP load: `clients` keep-alive connections GET one URL back to back, each waiting
// for the whole answer before asking again, until `seconds` have passed or `maxRequests` were sent. Sends
// Accept-Encoding: gzip as browsers and Prometheus do, and no If-None-Match (every answer is a full one).
// Runs on its own thread so that the load's own work is not counted against the daemon's thread.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadSpec {
  readonly url: string;
  readonly clients: number;
  readonly seconds: number;
  readonly maxRequests: number;
  readonly headers: Record<string, string>;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly statuses: Record<string, number>;
  readonly seconds: number;
  readonly bytes: number;
  readonly latenciesMs: readonly number[];
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.clients });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(spec.seconds * 1e9));
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      const request = http.get(spec.url, { agent, headers: spec.headers }, (response) => {
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          const status = String(response.statusCode ?? 0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          resolve();
        });
      });
      request.on('error', () => {
        errors += 1;
        resolve();
      });
    });
  const client = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline && requests < spec.maxRequests) {
      requests += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: spec.clients }, client));
  agent.destroy();
  return { requests, errors, statuses, seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes, latenciesMs: latencies };
}

if (parentPort !== null) {
  const port = parentPort;
  run(workerData as LoadSpec).then(
    (result) => port.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}

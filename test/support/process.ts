// Runs the built tokenwatch binary as a child process and waits for what it prints (events, not sleeps).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BIN = path.resolve(__dirname, '../../dist/src/cli/main.js');

export function assertBuilt(): void {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" (npm install does it)`);
}

/**
 * The environment of a daemon started in `dir` with nothing configured to send: its registry and previews in `dir`,
 * zone Europe/Paris, HTTP on a free port, debug logs (so that tests can wait for its events), plus `extra`.
 */
export function daemonEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
    TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
    TOKENWATCH_TZ: 'Europe/Paris',
    TOKENWATCH_HTTP: '127.0.0.1:0',
    TOKENWATCH_LOG_LEVEL: 'debug',
    ...extra,
  };
}

export interface RunningProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name) once the process ends. */
  exited: Promise<number | string>;
}

export function startTokenwatch(args: readonly string[], env: Record<string, string>, cwd: string): RunningProcess {
  assertBuilt();
  // A free port for the daemon's HTTP server unless the test names one: tests run in parallel.
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', TOKENWATCH_HTTP: '127.0.0.1:0', ...env } });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    notify();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    notify();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      notify();
      resolve(code ?? signal ?? -1);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out) || pattern.test(err)) {
            cleanup();
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`process ended before ${pattern}: stdout=${out} stderr=${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}: stdout=${out} stderr=${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs the binary to completion. */
export async function runTokenwatch(args: readonly string[], env: Record<string, string>, cwd: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const running = startTokenwatch(args, env, cwd);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

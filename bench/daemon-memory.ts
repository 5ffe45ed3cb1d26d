// Memory of the daemon process: start `tokenwatch daemon` on a registry, let it finish its start-up scan (which
// delivers what is due to local SMTP and Slack servers), wait until it is idle, and read VmRSS and VmHWM from /proc,
// with RSS by kind (anonymous, file-backed, shared), as a floor the RSS of a bare idle node with the same flags, and
// the daemon's RSS again once V8's memory reducer has run.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, cliEnv } from './scan-timing';
import { startSlackSink, startSmtpSink } from './sinks';
import { residentMemory, sleep, type ResidentMemory } from './timing';

export interface DaemonMemory {
  readonly tokens: number;
  /** Node options the daemon ran with ('' for none). */
  readonly nodeFlags: string;
  /** Whether these are the flags `npm start` runs the daemon with (the goal's row). */
  readonly isNpmStart: boolean;
  /** Reminders its start-up scan delivered (per channel). */
  readonly delivered: number;
  /** Resident memory once idle after the start-up scan. */
  readonly idleRssMb: number;
  /** Peak resident memory (VmHWM), reached during the start-up scan. */
  readonly peakRssMb: number;
  /** The idle RSS by kind and the floor beside it; absent in results written before it was measured. */
  readonly breakdown?: DaemonMemoryBreakdown;
}

export interface DaemonMemoryBreakdown {
  /** The idle RSS by kind: anonymous (V8's heap, malloc), file-backed (node's code, ICU data, addons), shared. */
  readonly anonMb: number;
  readonly fileMb: number;
  readonly shmemMb: number;
  /** A bare idle `node FLAGS -e "setInterval(…)"` read at the same moment: what no daemon change can go below. */
  readonly bareNode: { readonly rssMb: number; readonly anonMb: number; readonly fileMb: number };
  /** The daemon's RSS read again `laterSeconds` after `scan.done`, once V8's own memory reducer has run. */
  readonly laterSeconds: number;
  readonly laterRssMb: number;
}

const SETTLE_MS = 3000;
const LATER_MS = 12_000;
const START_TIMEOUT_MS = 120_000;

/**
 * The Node flags of package.json's `start` script (`exec node FLAGS dist/src/cli/main.js daemon`), so that the goal's
 * row measures the daemon as `npm start` and the Docker image run it.
 */
export function npmStartFlags(): string[] {
  const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const start = packageJson.scripts?.['start'] ?? '';
  const words = start.split(/\s+/).filter((word) => word !== '' && word !== 'exec');
  const node = words.indexOf('node');
  const script = words.findIndex((word) => word.endsWith('main.js'));
  if (node < 0 || script < node) throw new Error(`package.json scripts.start: ${JSON.stringify(start)} (expected "node [flags] dist/src/cli/main.js daemon")`);
  return words.slice(node + 1, script);
}

export async function measureDaemon(file: string, tokens: number, nodeFlags: readonly string[], isNpmStart: boolean): Promise<DaemonMemory> {
  const smtp = await startSmtpSink();
  const slack = await startSlackSink();
  const env = cliEnv(file, {
    TOKENWATCH_LOG_LEVEL: 'info',
    TOKENWATCH_SMTP_URL: smtp.url,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    TOKENWATCH_SLACK_API_URL: slack.url,
    // The daemon serves HTTP as `npm start` does, on a free port: another daemon on 9412 must not fail the run.
    TOKENWATCH_HTTP: '127.0.0.1:0',
  });
  const child = spawn(process.execPath, [...nodeFlags, CLI, 'daemon'], { env, cwd: path.dirname(file), stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const scanned = new Promise<void>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error('daemon: no scan.done within 120 s')), START_TIMEOUT_MS);
      child.stderr.on('data', (chunk: Buffer) => {
        buffer = (buffer + chunk.toString()).slice(-4096);
        if (buffer.includes('"scan.done"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        const lastLine = buffer.trim().split('\n').at(-1) ?? '';
        reject(new Error(`daemon exited ${String(code)} before its first scan: ${lastLine}`));
      });
    });
    await scanned;
    // The floor idles beside the daemon and is read at the same moment.
    const bareNode = spawn(process.execPath, [...nodeFlags, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    let bare: ResidentMemory;
    let memory: ResidentMemory;
    try {
      // Idle: no scan until the schedule (09:00), nothing pending; give timers and the GC a moment.
      await sleep(SETTLE_MS);
      memory = readMemory(child.pid);
      bare = readMemory(bareNode.pid);
    } finally {
      await stopChild(bareNode);
    }
    const delivered = Math.min(smtp.count(), slack.count());
    // Later, once V8's memory reducer has run (8 s after its last full collection, then up to three collections).
    await sleep(LATER_MS - SETTLE_MS);
    const later = readMemory(child.pid);
    return {
      tokens,
      nodeFlags: nodeFlags.join(' '),
      isNpmStart,
      delivered,
      idleRssMb: memory.rssMb,
      peakRssMb: memory.peakMb,
      breakdown: {
        anonMb: memory.anonMb,
        fileMb: memory.fileMb,
        shmemMb: memory.shmemMb,
        bareNode: { rssMb: bare.rssMb, anonMb: bare.anonMb, fileMb: bare.fileMb },
        laterSeconds: LATER_MS / 1000,
        laterRssMb: later.rssMb,
      },
    };
  } finally {
    await stopChild(child);
    await smtp.close();
    await slack.close();
  }
}

function readMemory(pid: number | undefined): ResidentMemory {
  const memory = residentMemory(pid ?? -1);
  if (memory === null) throw new Error('daemon memory: /proc/PID/status is not readable (Linux only)');
  return memory;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

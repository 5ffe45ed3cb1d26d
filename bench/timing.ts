// Small timing and process helpers for the bench.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface RunResult {
  readonly code: number | null;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in `cwd` to completion and times it from spawn to exit (the whole process). */
export function runTimed(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: elapsedMs(start), stdout, stderr }));
  });
}

/** A process's resident memory from /proc/PID/status, in MiB (Linux only). */
export interface ResidentMemory {
  /** VmRSS: all resident pages. */
  readonly rssMb: number;
  /** VmHWM: the peak of VmRSS. */
  readonly peakMb: number;
  /** RssAnon: heap, malloc'd and other private memory. */
  readonly anonMb: number;
  /** RssFile: mapped files (the node binary's code and ICU data, native addons). */
  readonly fileMb: number;
  /** RssShmem: shared memory. */
  readonly shmemMb: number;
}

/** VmRSS, VmHWM and RSS by kind (https://man7.org/linux/man-pages/man5/proc_pid_status.5.html), or null. */
export function residentMemory(pid: number): ResidentMemory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM'), anonMb: mb('RssAnon'), fileMb: mb('RssFile'), shmemMb: mb('RssShmem') };
  } catch {
    return null;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

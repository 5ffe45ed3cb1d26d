// Runs the tokenwatch CLI in-process against a real SQLite file, with a fixed clock and captured output.
import path from 'node:path';
import { DateTime } from 'luxon';
import { fixedClock } from '../../src/clock';
import { runCli } from '../../src/cli/program';
import type { CliIo } from '../../src/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  readonly dir: string;
  readonly dbPath: string;
  env: Record<string, string | undefined>;
  now: DateTime;
  run(...argv: string[]): Promise<CliRun>;
}

/** A CLI working in `dir`: database dir/tokenwatch.db, zone Europe/Paris, nothing configured to send (preview). */
export function cliHarness(dir: string, env: Record<string, string | undefined> = {}): CliHarness {
  const harness: CliHarness = {
    dir,
    dbPath: path.join(dir, 'tokenwatch.db'),
    env: {
      TOKENWATCH_DB: path.join(dir, 'tokenwatch.db'),
      TOKENWATCH_TZ: 'Europe/Paris',
      TOKENWATCH_PREVIEW_DIR: path.join(dir, 'preview'),
      TOKENWATCH_LOG_LEVEL: 'silent',
      ...env,
    },
    now: DateTime.fromISO('2027-01-01T10:00:00', { zone: 'Europe/Paris' }),
    async run(...argv: string[]): Promise<CliRun> {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
      const code = await runCli(argv, { io, env: harness.env, cwd: dir, clock: fixedClock(harness.now) });
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    },
  };
  return harness;
}

// Start-up of the CLI as a paired ratio: `tokenwatch list` on a small registry against `node -e 0`, run in turn in
// rounds (the order rotated every round), so that all see the same load on a shared machine; the figure is the median
// of the per-round ratios, which a busy neighbour moves far less than either time alone. In the same rounds, the
// floors: `node -e` scripts doing only what list cannot avoid (open the registry with better-sqlite3 and run list's
// query; then also load list's libraries and format each expiry's day in the zone with Intl, as list does), each
// against `node -e 0` in the same way, so that the row can say how much of list's time is its libraries' own.
import path from 'node:path';
import { CLI, cliEnv } from './scan-timing';
import { median, runTimed } from './timing';

export interface StartupFloor {
  /** Stable across runs (the row key's end). */
  readonly key: string;
  readonly what: string;
  /** Median of (floor ms / node -e 0 ms) over the rounds. */
  readonly pairedRatio: number;
  readonly ms: number;
}

export interface CliStartup {
  readonly pairs: number;
  /** Median of (list ms / node -e 0 ms) over the pairs. */
  readonly pairedRatio: number;
  readonly listMs: number;
  readonly bareNodeMs: number;
  /** Absent in the results of runs made before the floors were measured. */
  readonly floors?: readonly StartupFloor[];
}

/** What `TokenRepository.list()` runs (src/store/token-repository.ts). */
const LIST_QUERY = 'SELECT * FROM tokens ORDER BY expires_at, name';

/** Opens the registry (TOKENWATCH_DB) as tokenwatch does, runs list's query and prints one line per token. */
function sqliteScript(): string {
  return `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(process.env.TOKENWATCH_DB);
    const rows = db.prepare(${JSON.stringify(LIST_QUERY)}).all();
    db.close();
    process.stdout.write(rows.map((row) => row.name).join('\\n') + '\\n');`;
}

/** The above, with list's other libraries loaded and each expiry's calendar day in the zone formatted by Intl. */
function librariesScript(): string {
  return `
    require(${JSON.stringify(require.resolve('commander'))});
    require(${JSON.stringify(require.resolve('luxon'))});
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(process.env.TOKENWATCH_DB);
    const rows = db.prepare(${JSON.stringify(LIST_QUERY)}).all();
    db.close();
    const day = new Intl.DateTimeFormat('en-US', { timeZone: process.env.TOKENWATCH_TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
    process.stdout.write(rows.map((row) => row.name + ' ' + day.format(row.expires_at)).join('\\n') + '\\n');`;
}

interface Timed {
  readonly key: string;
  readonly what: string;
  readonly args: readonly string[];
}

export async function measureListStartup(file: string, pairs: number): Promise<CliStartup> {
  const commands: readonly Timed[] = [
    { key: 'list', what: 'tokenwatch list', args: [CLI, 'list'] },
    { key: 'bare', what: 'node -e 0', args: ['-e', '0'] },
    { key: 'sqlite', what: "node -e: better-sqlite3 opens the registry and runs list's query", args: ['-e', sqliteScript()] },
    {
      key: 'libraries',
      what: "node -e: the same, with commander and luxon loaded and each expiry's day in the zone formatted (Intl)",
      args: ['-e', librariesScript()],
    },
  ];
  const run = async (command: Timed): Promise<number> => {
    const result = await runTimed(process.execPath, command.args, cliEnv(file), path.dirname(file));
    if (result.code !== 0) throw new Error(`${command.what} exited ${String(result.code)}: ${result.stderr.trim()}`);
    return result.ms;
  };
  // One of each first, not counted: the file cache and the registry's first open.
  for (const command of commands) await run(command);
  const times = new Map<string, number[]>(commands.map((command) => [command.key, []]));
  const ratios = new Map<string, number[]>(commands.map((command) => [command.key, []]));
  for (let round = 0; round < pairs; round += 1) {
    const ms = new Map<string, number>();
    // Each command goes first as often as the others: the order rotates every round.
    for (let step = 0; step < commands.length; step += 1) {
      const command = commands[(round + step) % commands.length] as Timed;
      ms.set(command.key, await run(command));
    }
    const bare = ms.get('bare') ?? Number.NaN;
    for (const command of commands) {
      const commandMs = ms.get(command.key) ?? Number.NaN;
      times.get(command.key)?.push(commandMs);
      ratios.get(command.key)?.push(commandMs / bare);
    }
  }
  const medianOf = (map: Map<string, number[]>, key: string): number => median(map.get(key) ?? []);
  return {
    pairs,
    pairedRatio: medianOf(ratios, 'list'),
    listMs: medianOf(times, 'list'),
    bareNodeMs: medianOf(times, 'bare'),
    floors: commands
      .filter((command) => command.key !== 'list' && command.key !== 'bare')
      .map((command) => ({ key: command.key, what: command.what, pairedRatio: medianOf(ratios, command.key), ms: medianOf(times, command.key) })),
  };
}

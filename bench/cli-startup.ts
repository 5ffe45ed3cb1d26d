// Start-up of the CLI as a paired ratio: `tokenwatch list` on a small registry against `node -e 0`, run alternately
// (one of each per pair, the order swapped every pair), so that both see the same load on a shared machine; the
// figure is the median of the per-pair ratios, which a busy neighbour moves far less than either time alone.
import path from 'node:path';
import { CLI, cliEnv } from './scan-timing';
import { median, runTimed } from './timing';

export interface CliStartup {
  readonly pairs: number;
  /** Median of (list ms / node -e 0 ms) over the pairs. */
  readonly pairedRatio: number;
  readonly listMs: number;
  readonly bareNodeMs: number;
}

export async function measureListStartup(file: string, pairs: number): Promise<CliStartup> {
  const list = async (): Promise<number> => {
    const result = await runTimed(process.execPath, [CLI, 'list'], cliEnv(file), path.dirname(file));
    if (result.code !== 0) throw new Error(`list exited ${String(result.code)}: ${result.stderr.trim()}`);
    return result.ms;
  };
  const bare = async (): Promise<number> => (await runTimed(process.execPath, ['-e', '0'], cliEnv(file), path.dirname(file))).ms;
  // One of each first, not counted: the file cache and the registry's first open.
  await list();
  await bare();
  const ratios: number[] = [];
  const listTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    let listMs: number;
    let bareMs: number;
    if (pair % 2 === 0) {
      listMs = await list();
      bareMs = await bare();
    } else {
      bareMs = await bare();
      listMs = await list();
    }
    ratios.push(listMs / bareMs);
    listTimes.push(listMs);
    bareTimes.push(bareMs);
  }
  return { pairs, pairedRatio: median(ratios), listMs: median(listTimes), bareNodeMs: median(bareTimes) };
}

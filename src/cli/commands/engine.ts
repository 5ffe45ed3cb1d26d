// Registers the commands that scan and send.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { CommandResult } from '../command-result';
import { registerDaemon } from './daemon';
import { registerDoctor } from './doctor';
import { registerHistory } from './history';
import { registerRetry } from './retry';
import { registerScan } from './scan';
import { registerSync } from './sync';
import { registerTestNotify } from './test-notify';

export function registerEngineCommands(program: Command, ctx: CliContext, result: CommandResult): void {
  registerScan(program, ctx, result);
  registerDaemon(program, ctx);
  registerHistory(program, ctx);
  registerRetry(program, ctx);
  registerTestNotify(program, ctx, result);
  registerDoctor(program, ctx, result);
  registerSync(program, ctx, result);
}

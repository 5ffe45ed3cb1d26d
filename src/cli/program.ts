// The command-line program: parses arguments, runs one command, and maps failures to exit codes
// (0 ok, 2 bad input, 1 anything else). Runs in-process so tests can drive it with their own clock and streams.
import { Command, CommanderError } from 'commander';
import { InputError, errorCode, oneLine } from '../errors';
import { redact } from '../log';
import { describeOpenFailure } from '../store/database';
import type { CommandResult } from './command-result';
import { CliContext, type CliDeps } from './context';
import { packageVersion } from './version';
import { registerAdd } from './commands/add';
import { registerBackup } from './commands/backup';
import { registerEdit } from './commands/edit';
import { registerHashPassword } from './commands/hash-password';
import { registerImport } from './commands/import';
import { registerList } from './commands/list';
import { registerMute } from './commands/mute';
import { registerRenew } from './commands/renew';
import { registerEngineCommands } from './commands/engine';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;


export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const program = new Command('tokenwatch');
  const result: CommandResult = { exitCode: EXIT_OK };
  const ctx = new CliContext(deps, () => program.opts<{ config?: string }>().config);
  program
    .description('Watches Apple VPP service tokens and reminds administrators before they expire.')
    .version(packageVersion(), '-V, --version', 'print the version of tokenwatch')
    .option('--config <file>', 'config file (default config/tokenwatch.json, or TOKENWATCH_CONFIG)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.io.out(text.trimEnd()),
      writeErr: (text) => deps.io.err(text.trimEnd()),
    });
  for (const register of [registerImport, registerAdd, registerList, registerEdit, registerRenew, registerMute, registerBackup, registerHashPassword]) {
    register(program, ctx);
  }
  registerEngineCommands(program, ctx, result);
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT_OK;
      }
      return EXIT_BAD_INPUT; // commander already printed its one-line message
    }
    const secrets = safeSecrets(ctx);
    if (error instanceof InputError) {
      deps.io.err(`tokenwatch: ${redact(error.message, secrets)}`);
      return EXIT_BAD_INPUT;
    }
    deps.io.err(`tokenwatch: ${redact(describeFailure(ctx, error), secrets)}`);
    return EXIT_FAILURE;
  } finally {
    await ctx.close();
  }
}

/** One line for an unexpected failure; SQLite errors (locked, read-only…) name the database file. */
function describeFailure(ctx: CliContext, error: unknown): string {
  const code = errorCode(error);
  if (code?.startsWith('SQLITE_') === true) {
    try {
      return describeOpenFailure(ctx.config.dbPath, error);
    } catch {
      // fall through to the plain message
    }
  }
  return oneLine(error);
}

function safeSecrets(ctx: CliContext): readonly string[] {
  try {
    return ctx.config.secrets;
  } catch {
    return [];
  }
}

// The command-line program: parses arguments, runs one command, and maps failures to exit codes
// (0 ok, 2 bad input, 1 anything else). Runs in-process so tests can drive it with their own clock and streams.
import { Command, CommanderError } from 'commander';
import { InputError, errorCode, oneLine } from '../errors';
import { redact } from '../log';
import { describeOpenFailure } from '../store/database';
import type { CommandResult } from './command-result';
import { CliContext, type CliDeps } from './context';
import { packageVersion } from './version';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** Adds one module's commands to the program. */
type Register = (program: Command, ctx: CliContext, result: CommandResult) => void;

/**
 * Every command module, in the order `--help` lists them, with the command names it registers. Only the module of the
 * command asked for is loaded: each brings its own dependencies (node-forge for import and renew, prom-client and
 * node:http for the daemon, csv-parse, the sources' clients…), and loading them all made `tokenwatch list` take about
 * three times as long as Node itself to start. Adding a command: one line here.
 */
const COMMANDS: readonly { readonly names: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { names: ['import'], load: async () => (await import('./commands/import')).registerImport },
  { names: ['add'], load: async () => (await import('./commands/add')).registerAdd },
  { names: ['list', 'show'], load: async () => (await import('./commands/list')).registerList },
  { names: ['edit', 'remove'], load: async () => (await import('./commands/edit')).registerEdit },
  { names: ['renew'], load: async () => (await import('./commands/renew')).registerRenew },
  { names: ['mute', 'unmute'], load: async () => (await import('./commands/mute')).registerMute },
  { names: ['backup'], load: async () => (await import('./commands/backup')).registerBackup },
  { names: ['hash-password'], load: async () => (await import('./commands/hash-password')).registerHashPassword },
  { names: ['scan'], load: async () => (await import('./commands/scan')).registerScan },
  { names: ['daemon'], load: async () => (await import('./commands/daemon')).registerDaemon },
  { names: ['history'], load: async () => (await import('./commands/history')).registerHistory },
  { names: ['retry'], load: async () => (await import('./commands/retry')).registerRetry },
  { names: ['test-notify'], load: async () => (await import('./commands/test-notify')).registerTestNotify },
  { names: ['doctor'], load: async () => (await import('./commands/doctor')).registerDoctor },
  { names: ['sync'], load: async () => (await import('./commands/sync')).registerSync },
];

/**
 * The command `argv` names (its first word that is neither a global option nor the value of --config), or null when
 * it names none that COMMANDS knows: help, a typo or a bad option, for which every command is registered so that
 * commander answers as always (the full list, a suggestion).
 */
export function commandNamed(argv: readonly string[]): string | null {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--config') {
      index += 1;
      continue;
    }
    if (arg.startsWith('--config=')) continue;
    if (arg.startsWith('-')) return null;
    return COMMANDS.some((command) => command.names.includes(arg)) ? arg : null;
  }
  return null;
}

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
  const named = commandNamed(argv);
  for (const command of COMMANDS) {
    if (named === null || command.names.includes(named)) (await command.load())(program, ctx, result);
  }
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

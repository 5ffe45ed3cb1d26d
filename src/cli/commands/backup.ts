// `tokenwatch backup FILE`: an online, consistent copy of the registry, safe while the daemon runs (docs/operations.md).
import type { Command } from 'commander';
import { backupDatabase } from '../../store/backup';
import type { CliContext } from '../context';

export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('copy the registry to FILE, consistently, even while the daemon runs')
    .argument('<file>', 'the new backup file (must not exist)')
    .action(async (file: string) => {
      const result = await backupDatabase(ctx.database, file);
      ctx.io.out(
        `Backed up ${result.tokens} tokens to ${result.file} (${Math.ceil(result.bytes / 1024)} KB, schema ${result.schemaVersion}). ` +
          `Check it with: TOKENWATCH_DB=${result.file} tokenwatch list`,
      );
    });
}

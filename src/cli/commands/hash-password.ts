// `tokenwatch hash-password`: prints the scrypt hash to put in TOKENWATCH_HTTP_PASSWORD_HASH (or its _FILE) for the
// HTTP edge's Basic authentication. The password is read from a file or standard input, never from the command line
// (where `ps` and the shell history would show it), and is never printed.
import fs from 'node:fs';
import type { Command } from 'commander';
import { InputError, errorCode, quoted } from '../../errors';
import { hashPassword } from '../../http/password-hash';
import type { CliContext } from '../context';

const MIN_LENGTH = 12;

export function registerHashPassword(program: Command, ctx: CliContext): void {
  program
    .command('hash-password')
    .description('print a scrypt hash of a password (read from standard input) for TOKENWATCH_HTTP_PASSWORD_HASH')
    .option('--password-file <file>', 'read the password from this file instead of standard input')
    .action(async (options: { passwordFile?: string }) => {
      const password = readPassword(options.passwordFile).replace(/\r?\n$/, '');
      if (password.length < MIN_LENGTH) {
        throw new InputError(`password: ${password.length} characters is too short (expected at least ${MIN_LENGTH})`);
      }
      ctx.io.out(await hashPassword(password));
    });
}

function readPassword(file: string | undefined): string {
  const source = file ?? 0;
  try {
    return fs.readFileSync(source, 'utf8');
  } catch (error) {
    const where = file === undefined ? 'standard input' : quoted(file);
    throw new InputError(`--password-file: cannot read ${where} (${errorCode(error) ?? 'unreadable'}; expected the password in a file or on standard input)`);
  }
}

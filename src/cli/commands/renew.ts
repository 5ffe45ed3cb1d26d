// `tokenwatch renew NAME (--file FILE | --expires DATE) [--force]`: record a renewal and its new expiry.
import type { Command } from 'commander';
import { InputError, quoted } from '../../errors';
import { parseDateInput } from '../../domain/dates';
import { readTokenFile } from '../../store/token-file-reader';
import type { Renewal } from '../../store/token-repository';
import type { CliContext } from '../context';

interface RenewOptions {
  file?: string;
  expires?: string;
  force?: boolean;
}

export function registerRenew(program: Command, ctx: CliContext): void {
  program
    .command('renew')
    .description('record that a token was renewed, from the new token file or its new expiry date')
    .argument('<name>', 'token name')
    .option('--file <file>', 'the new .vpptoken file')
    .option('--expires <date>', 'the new expiry: YYYY-MM-DD or ISO 8601')
    .option('--force', 'accept a token file whose orgName differs from the registered one')
    .action((name: string, options: RenewOptions) => {
      if ((options.file === undefined) === (options.expires === undefined)) {
        throw new InputError('renew: give exactly one of --file FILE or --expires DATE');
      }
      const now = ctx.clock.now();
      const tokens = ctx.tokens;
      const current = tokens.getByName(name);
      let renewal: Renewal;
      if (options.file !== undefined) {
        const parsed = readTokenFile(options.file);
        if (current.orgName !== null && parsed.orgName !== current.orgName && options.force !== true) {
          throw new InputError(
            `${options.file}: orgName ${quoted(parsed.orgName)} differs from ${quoted(current.orgName)} registered for ${quoted(current.name)} ` +
              '(it was probably downloaded with a different Apple account, which creates a different token; use --force if this is intended)',
          );
        }
        if (current.orgName !== null && parsed.orgName !== current.orgName) {
          ctx.io.err(`WARNING: orgName ${quoted(parsed.orgName)} differs from ${quoted(current.orgName)}; renewing anyway (--force).`);
        }
        renewal = { expiresAt: parsed.expiresAt, addedAt: now, orgName: parsed.orgName, fingerprint: parsed.fingerprint };
      } else {
        renewal = { expiresAt: parseDateInput(options.expires ?? '', ctx.config.zone, '--expires'), addedAt: now };
      }
      if (renewal.expiresAt <= now) {
        throw new InputError(`renew: the new expiry ${renewal.expiresAt.toISO()} is already past (expected a future date)`);
      }
      const token = tokens.renew(name, renewal, now);
      ctx.io.out(`Renewed "${token.name}": next expiry ${token.expiresAt.setZone(ctx.config.zone).toISODate()}.`);
    });
}

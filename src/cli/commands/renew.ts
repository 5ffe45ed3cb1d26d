// `tokenwatch renew NAME (--file FILE [--expires DATE] [--key KEY] | --expires DATE) [--force]`: record a renewal and
// its new expiry. The file must hold the same kind of credential; an APNs certificate must keep its push topic.
import type { Command } from 'commander';
import type { DateTime } from 'luxon';
import { InputError, quoted } from '../../errors';
import { parseDateInput } from '../../domain/dates';
import { titleWithArticle } from '../../domain/kinds';
import type { Token } from '../../domain/token';
import { readCredentialFile } from '../../files/token-file-reader';
import type { Renewal } from '../../store/token-repository';
import type { CliContext } from '../context';
import { adeExpiry } from './import';

interface RenewOptions {
  file?: string;
  expires?: string;
  key?: string;
  force?: boolean;
}

export function registerRenew(program: Command, ctx: CliContext): void {
  program
    .command('renew')
    .description('record that a token was renewed, from the new file Apple gave or its new expiry date')
    .argument('<name>', 'token name')
    .option('--file <file>', 'the new .vpptoken, push certificate (.pem) or server token (_smime.p7m)')
    .option('--expires <date>', 'the new expiry: YYYY-MM-DD or ISO 8601 (with --file: ADE server tokens only, instead of the estimate)')
    .option('--key <file>', "ADE server token: the MDM server's private key (PEM) to read the exact expiry")
    .option('--force', 'accept a file whose orgName or push topic differs from the registered one, and record the change')
    .action((name: string, options: RenewOptions) => {
      if (options.file === undefined && options.expires === undefined) {
        throw new InputError('renew: give exactly one of --file FILE or --expires DATE');
      }
      if (options.key !== undefined && options.file === undefined) throw new InputError('--key: decrypts the file given with --file (expected --file FILE)');
      const now = ctx.clock.now();
      const current = ctx.tokens.getByName(name);
      const expires = options.expires === undefined ? null : parseDateInput(options.expires, ctx.config.zone, '--expires');
      const { renewal, note } =
        options.file === undefined
          ? { renewal: { expiresAt: expires as DateTime }, note: '' }
          : fromFile(ctx, current, options.file, options, expires);
      if (renewal.expiresAt <= now) {
        throw new InputError(`renew: the new expiry ${renewal.expiresAt.toISO()} is already past (expected a future date)`);
      }
      const token = ctx.tokens.renew(name, renewal, now);
      ctx.io.out(`Renewed "${token.name}": next expiry ${token.expiresAt.setZone(ctx.config.zone).toISODate()}${note}.`);
    });
}

function fromFile(
  ctx: CliContext,
  current: Token,
  file: string,
  options: RenewOptions,
  expires: DateTime | null,
): { renewal: Renewal; note: string } {
  const parsed = readCredentialFile(file, options.key ?? null);
  if (parsed.kind !== current.kind) {
    throw new InputError(
      `${file}: holds ${titleWithArticle(parsed.kind)}, but ${quoted(current.name)} is ${titleWithArticle(current.kind)} (expected the same kind of file)`,
    );
  }
  if (expires !== null && parsed.kind !== 'ade') {
    throw new InputError(`renew: give exactly one of --file FILE or --expires DATE (the expiry of ${titleWithArticle(parsed.kind)} is read from its file)`);
  }
  const isForced = options.force === true;
  switch (parsed.kind) {
    case 'vpp': {
      if (current.orgName !== null && parsed.orgName !== current.orgName) {
        if (!isForced) {
          throw new InputError(
            `${file}: orgName ${quoted(parsed.orgName)} differs from ${quoted(current.orgName)} registered for ${quoted(current.name)} ` +
              '(it was probably downloaded with a different Apple account, which creates a different token; use --force if this is intended)',
          );
        }
        ctx.io.err(`WARNING: orgName ${quoted(parsed.orgName)} differs from ${quoted(current.orgName)}; renewing anyway (--force).`);
      }
      return { renewal: { expiresAt: parsed.expiresAt, orgName: parsed.orgName, fingerprint: parsed.fingerprint }, note: '' };
    }
    case 'apns': {
      if (current.topic !== null && parsed.topic !== current.topic) {
        if (!isForced) {
          throw new InputError(
            `${file}: push topic ${quoted(parsed.topic)} differs from ${quoted(current.topic)} of ${quoted(current.name)}: a new topic makes every enrolled device enroll again; ` +
              'renew the existing certificate with Renew at https://identity.apple.com, signed in with the same Apple Account (or use --force to record the new topic)',
          );
        }
        ctx.io.err(`WARNING: push topic changed from ${quoted(current.topic)} to ${quoted(parsed.topic)}; every enrolled device must enroll again. Recorded (--force).`);
      }
      return { renewal: { expiresAt: parsed.expiresAt, fingerprint: parsed.fingerprint, topic: parsed.topic }, note: `, topic ${parsed.topic}` };
    }
    case 'ade': {
      const { expiresAt, note } = adeExpiry(file, parsed, expires);
      return { renewal: { expiresAt, downloadedAt: parsed.downloadedAt, fingerprint: parsed.fingerprint }, note };
    }
  }
}

// `tokenwatch renew NAME (--file FILE [--expires DATE] [--key KEY] | --expires DATE) [--force]`: record a renewal and
// its new expiry, then send the "renewed" confirmation at once unless another process (the daemon) is the one sending.
// The file must hold the same kind of credential; an APNs certificate must keep its push topic. The new expiry must be
// later than the current one and the file one this token never had (Apple names every download the same way).
import type { Command } from 'commander';
import type { DateTime } from 'luxon';
import { InputError, quoted } from '../../errors';
import { alertKey, RENEWED } from '../../domain/alert';
import { formatDateTimeCompact, parseDateInput } from '../../domain/dates';
import { titleWithArticle } from '../../domain/kinds';
import { renewalProblems } from '../../domain/renewal-check';
import { PREVIEW_RECIPIENT } from '../../domain/routing';
import type { Token } from '../../domain/token';
import { isMuted } from '../../domain/token-state';
import { cronSchedule, nextRunAfter } from '../../daemon/schedule';
import { readCredentialFile } from '../../files/token-file-reader';
import { describeHolder } from '../../store/lease';
import { Outbox } from '../../store/outbox';
import type { Renewal } from '../../store/token-repository';
import type { CliContext } from '../context';
import { prepareLeasedScan, type LeasedScan } from '../leased-scan';
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
    .description('record that a token was renewed, from the new file Apple gave or its new expiry date, and confirm it')
    .argument('<name>', 'token name')
    .option('--file <file>', 'the new .vpptoken, push certificate (.pem) or server token (_smime.p7m)')
    .option('--expires <date>', 'the new expiry: YYYY-MM-DD or ISO 8601 (with --file: ADE server tokens only, instead of the estimate)')
    .option('--key <file>', "ADE server token: the MDM server's private key (PEM) to read the exact expiry")
    .option(
      '--force',
      'record it even if the expiry is not later, the file is one this token already had, or its orgName or push topic differs',
    )
    .action(async (name: string, options: RenewOptions) => {
      if (options.file === undefined && options.expires === undefined) {
        throw new InputError('renew: give exactly one of --file FILE or --expires DATE');
      }
      if (options.key !== undefined && options.file === undefined) throw new InputError('--key: decrypts the file given with --file (expected --file FILE)');
      const zone = ctx.config.zone;
      const now = ctx.clock.now();
      const current = ctx.tokens.getByName(name);
      const expires = options.expires === undefined ? null : parseDateInput(options.expires, zone, '--expires');
      const { renewal, note, forced } =
        options.file === undefined
          ? { renewal: { expiresAt: expires as DateTime }, note: '', forced: [] }
          : fromFile(ctx, current, options.file, options, expires);
      if (renewal.expiresAt <= now) {
        throw new InputError(`renew: the new expiry ${renewal.expiresAt.toISO()} is already past (expected a future date)`);
      }
      const problems = renewalProblems(
        { name: current.name, expiresAt: current.expiresAt, fingerprints: ctx.tokens.fingerprintsOf(current) },
        { expiresAt: renewal.expiresAt, fingerprint: renewal.fingerprint ?? null },
        zone,
      );
      if (problems.length > 0 && options.force !== true) {
        throw new InputError(
          `renew ${quoted(current.name)}: ${problems.join('; ')} (expected the file downloaded after renewing; use --force to record it anyway)`,
        );
      }
      // Settings and templates are read before the registry changes: a bad one refuses the renewal, not only its mail.
      const confirmation = prepareLeasedScan(ctx);
      const token = ctx.tokens.renew(name, { ...renewal, forced: [...forced, ...problems] }, now);
      const day = (at: DateTime): string => at.setZone(zone).toISODate() ?? '';
      ctx.io.out(`Renewed "${token.name}": next expiry ${day(token.expiresAt)} (was ${day(current.expiresAt)})${note}.`);
      if (problems.length > 0) ctx.io.err(`WARNING: recorded with --force although ${problems.join('; ')}.`);
      await confirmNow(ctx, confirmation, token);
    });
}

/**
 * Sends the "renewed" confirmation now by running one scan under the sending lease (as `tokenwatch scan` does, so
 * anything else due goes too), unless another process holds the lease: then says when that one will send it.
 */
async function confirmNow(ctx: CliContext, confirmation: LeasedScan, token: Token): Promise<void> {
  const config = ctx.config;
  const now = ctx.clock.now();
  const when = (at: DateTime): string => formatDateTimeCompact(at, config.zone);
  const pass = await confirmation.run(now);
  if (!pass.isDone) {
    const next = nextRunAfter(cronSchedule(config.schedule, config.zone), now);
    const goes =
      pass.holder?.role === 'scan'
        ? 'goes with the next scan'
        : `goes with the daemon's next scan${next === null ? '' : `, ${when(next)}`}`;
    ctx.io.out(`The renewal confirmation ${goes} (${describeHolder(pass.holder)} is sending for this registry).`);
    return;
  }
  const rows = new Outbox(ctx.database)
    .history(token.name, 50)
    .filter((row) => row.alert === alertKey(RENEWED) && row.tokenId === token.id && row.expiresAt.equals(token.expiresAt));
  const others = pass.report.delivery.sent - rows.filter((row) => row.status === 'sent').length;
  if (rows.length === 0) {
    ctx.io.out(isMuted(token, now) ? 'No renewal confirmation: the token is muted.' : 'No renewal confirmation was queued (see the log).');
  }
  for (const row of rows) {
    const to = `${row.channel}:${row.recipient}`;
    if (row.status === 'sent' && row.channel === 'preview') {
      const whose = row.recipient === PREVIEW_RECIPIENT ? '' : ` for ${row.recipient}`;
      ctx.io.out(`Renewal confirmation${whose} written to ${config.previewDir} (a preview: no SMTP, Slack or Teams configured).`);
    } else if (row.status === 'sent') ctx.io.out(`Renewal confirmation sent to ${to}.`);
    else if (row.status === 'pending' && row.attempts === 0) ctx.io.out(`Renewal confirmation to ${to} waits for the send window: it goes at ${when(row.nextAttemptAt)}.`);
    else if (row.status === 'pending') ctx.io.out(`Renewal confirmation to ${to} not sent yet (${row.lastError ?? 'error'}); retried at ${when(row.nextAttemptAt)}.`);
    else ctx.io.out(`Renewal confirmation to ${to} failed: ${row.lastError ?? row.status} (see "tokenwatch history").`);
  }
  if (pass.lostTo !== null) ctx.io.out(`Stopped sending: ${pass.lostTo} took the sending lease; it sends what is left.`);
  if (others > 0) ctx.io.out(`Also sent ${others} other reminder${others === 1 ? '' : 's'} that were due (see "tokenwatch history").`);
}

function fromFile(
  ctx: CliContext,
  current: Token,
  file: string,
  options: RenewOptions,
  expires: DateTime | null,
): { renewal: Renewal; note: string; forced: string[] } {
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
        return {
          renewal: { expiresAt: parsed.expiresAt, orgName: parsed.orgName, fingerprint: parsed.fingerprint },
          note: '',
          forced: [`orgName ${quoted(parsed.orgName)} differs from ${quoted(current.orgName)}`],
        };
      }
      return { renewal: { expiresAt: parsed.expiresAt, orgName: parsed.orgName, fingerprint: parsed.fingerprint }, note: '', forced: [] };
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
      // A topic change is recorded in the history as the previous and new topic.
      return { renewal: { expiresAt: parsed.expiresAt, fingerprint: parsed.fingerprint, topic: parsed.topic }, note: `, topic ${parsed.topic}`, forced: [] };
    }
    case 'ade': {
      const { expiresAt, note } = adeExpiry(file, parsed, expires);
      return { renewal: { expiresAt, downloadedAt: parsed.downloadedAt, fingerprint: parsed.fingerprint }, note, forced: [] };
    }
  }
}

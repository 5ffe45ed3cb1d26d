// `tokenwatch history [NAME] [--json]`: what was sent, when, to whom, in which digest, and what failed with the error.
import type { Command } from 'commander';
import { InputError, quoted } from '../../errors';
import { Outbox } from '../../store/outbox';
import type { CliContext } from '../context';
import { table } from '../format';

/** One row of `tokenwatch history --json` (times ISO 8601 in the configured zone). */
export interface HistoryJsonRow {
  readonly token: string;
  readonly alert: string;
  readonly channel: string;
  readonly recipient: string;
  /** Written to the preview folder only: it reached nobody, and does not count as delivered. */
  readonly isPreview: boolean;
  readonly status: string;
  readonly digest: number | null;
  readonly subject: string;
  readonly attempts: number;
  readonly queuedAt: string | null;
  readonly sentAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly error: string | null;
}

export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('reminders sent, queued and failed, newest first')
    .argument('[name]', 'only this token')
    .option('--limit <n>', 'at most this many rows', '200')
    .option('--json', 'print a JSON array')
    .action((name: string | undefined, options: { json?: boolean; limit: string }) => {
      const zone = ctx.config.zone;
      if (name !== undefined) ctx.tokens.getByName(name);
      if (!/^\d{1,6}$/.test(options.limit) || Number(options.limit) < 1) {
        throw new InputError(`--limit: ${quoted(options.limit)} is not a number of rows (expected a whole number from 1 to 999999)`);
      }
      const limit = Number(options.limit);
      const entries = new Outbox(ctx.database).history(name, limit).map((entry): HistoryJsonRow => ({
        token: entry.tokenName,
        alert: entry.alert,
        channel: entry.channel,
        recipient: entry.recipient,
        isPreview: entry.channel === 'preview',
        status: entry.status,
        digest: entry.digestId,
        subject: entry.subject,
        attempts: entry.attempts,
        queuedAt: entry.createdAt.setZone(zone).toISO(),
        sentAt: entry.sentAt === null ? null : entry.sentAt.setZone(zone).toISO(),
        nextAttemptAt: entry.status === 'pending' ? entry.nextAttemptAt.setZone(zone).toISO() : null,
        error: entry.lastError,
      }));
      if (options.json === true) {
        ctx.io.out(JSON.stringify(entries, null, 2));
        return;
      }
      if (entries.length === 0) {
        ctx.io.out('Nothing sent yet.');
        return;
      }
      const rows = entries.map((e) => [
        (e.sentAt ?? e.queuedAt ?? '').slice(0, 16).replace('T', ' '),
        e.token,
        e.alert,
        e.isPreview ? `preview of ${e.recipient}` : `${e.channel}:${e.recipient}`,
        e.status === 'pending' && e.attempts > 0 ? `retrying (${e.attempts})` : e.isPreview && e.status === 'sent' ? 'previewed' : e.status,
        e.digest === null ? '' : `#${e.digest}`,
        e.error ?? '',
      ]);
      ctx.io.out(table(['WHEN', 'TOKEN', 'ALERT', 'TO', 'STATUS', 'DIGEST', 'ERROR'], rows, 60));
    });
}

// Sends what is due in the outbox: each channel in parallel, one message at a time within a channel.
// A row is marked sent only after the server accepted it; a failure is retried later with backoff, unless permanent.
import type { Clock } from '../clock';
import { PermanentDeliveryError, RetryLaterError, oneLine } from '../errors';
import { thresholdOf } from '../domain/due-reminders';
import { retryDelaySeconds, type RetryPolicy } from '../domain/retry-policy';
import { redact, type Logger } from '../log';
import type { Channel } from '../notify/channel';
import type { Outbox, OutboxEntry } from '../store/outbox';

export interface DeliveryReport {
  sent: number;
  /** Failed attempts that will be retried. */
  retrying: number;
  /** Failures that will not be retried (recorded in history). */
  failed: number;
}

export interface DeliverOptions {
  readonly outbox: Outbox;
  readonly channels: ReadonlyMap<string, Channel>;
  readonly clock: Clock;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly secrets: readonly string[];
  /** Asked before each send; true stops taking new work (shutdown). */
  readonly shouldStop?: () => boolean;
  /** Outbox rows read (and their messages held) at a time; the queue is drained batch after batch. 100 by default. */
  readonly batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 100;

/**
 * Delivers every due outbox row, reading the queue in batches so that memory stays bounded however much is due.
 * Each row is tried at most once per call; a channel that was rate-limited is held back for the rest of the call.
 * The loop ends when a batch brings no row it has not tried yet.
 */
export async function deliverDue(options: DeliverOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  const heldBack = new Set<string>();
  const tried = new Set<number>();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  while (options.shouldStop?.() !== true) {
    const batch = options.outbox.due(options.clock.now(), batchSize, [...heldBack]);
    const byChannel = new Map<string, OutboxEntry[]>();
    for (const entry of batch) {
      if (tried.has(entry.id)) continue;
      tried.add(entry.id);
      const list = byChannel.get(entry.channel) ?? [];
      list.push(entry);
      byChannel.set(entry.channel, list);
    }
    if (byChannel.size === 0) break;
    await Promise.all([...byChannel].map(([name, entries]) => deliverChannel(name, entries, options, report, heldBack)));
    if (batch.length < batchSize) break;
  }
  return report;
}

async function deliverChannel(
  name: string,
  entries: readonly OutboxEntry[],
  options: DeliverOptions,
  report: DeliveryReport,
  heldBack: Set<string>,
): Promise<void> {
  const { outbox, clock, logger } = options;
  const channel = options.channels.get(name);
  for (const entry of entries) {
    if (options.shouldStop?.() === true) return;
    const fields = {
      token: entry.tokenName,
      alert: entry.alert,
      threshold: thresholdOf(entry.alert),
      channel: entry.channel,
      recipient: entry.recipient,
    };
    try {
      if (channel === undefined) throw new Error(`channel "${name}" is not configured`);
      await channel.send(entry.recipient, entry.message);
      outbox.markSent(entry.id, clock.now());
      report.sent += 1;
      logger.info('delivery.sent', fields);
    } catch (error) {
      const message = redact(oneLine(error), options.secrets);
      if (error instanceof PermanentDeliveryError) {
        outbox.markFailed(entry.id, message, null);
        report.failed += 1;
        logger.error('delivery.failed', { ...fields, error: message, willRetry: false });
      } else {
        const backoff = retryDelaySeconds(entry.attempts + 1, options.retry);
        const isRateLimited = error instanceof RetryLaterError;
        // A server's Retry-After is authoritative: retry exactly then, not on our backoff.
        const delay = isRateLimited ? Math.max(1, error.retryAfterSeconds) : backoff;
        const retryAt = clock.now().plus({ seconds: delay });
        outbox.markFailed(entry.id, message, retryAt);
        report.retrying += 1;
        logger.warn('delivery.retrying', { ...fields, error: message, attempt: entry.attempts + 1, retryAt: retryAt.toISO() });
        // Rate limited: the rest of this channel's queue waits too, instead of hammering the server.
        if (isRateLimited) {
          heldBack.add(name);
          return;
        }
      }
    }
  }
}

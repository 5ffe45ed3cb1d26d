// Sends what is due in the outbox: each channel in parallel, one message at a time within a channel.
// A row is marked sent only after the server accepted it; a failure is retried later with backoff, unless permanent.
// More than `digestMin` reminders due at once for one channel and recipient go as one digest (several bounded messages
// on Slack): its rows are marked sent together, or failed together with one retry time so that they retry together.
// Every message's rows are claimed just before it is sent (SendClaims): a row another process holds or has tried is
// left out, and once this process has lost the sending lease it stops before its next send and says so.
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { PermanentDeliveryError, RetryLaterError, oneLine } from '../errors';
import { digestMessage, type DigestPart } from '../domain/digest-content';
import { daysLeft } from '../domain/dates';
import { parseAlertKey, thresholdDays } from '../domain/alert';
import { deliveryId, deliveryOf, type Delivery } from '../domain/message/event';
import { renderedMessage, type Message } from '../domain/message/message';
import type { Reminder } from '../domain/reminder';
import { reminderMessage, type MessageLinks } from '../domain/reminder-content';
import type { StepLibrary } from '../domain/renewal-steps';
import { retryDelaySeconds, type RetryPolicy } from '../domain/retry-policy';
import { redact, type Logger } from '../log';
import type { Channel } from '../notify/channel';
import type { Outbox, OutboxEntry } from '../store/outbox';
import { startDeliveryBudget, type DeliveryBudget } from './delivery-budget';
import type { SendClaims } from './send-claims';

export interface DeliveryReport {
  sent: number;
  /** Failed attempts that will be retried. */
  retrying: number;
  /** Failures that will not be retried (recorded in history). */
  failed: number;
  /** Present when the pass stopped because another process took the sending lease (the rest stays queued for it). */
  leaseLost?: true;
}

/** What a delivery pass is configured with: part of the engine's one settings object, passed through as it is. */
export interface DeliverySettings {
  readonly retry: RetryPolicy;
  readonly secrets: readonly string[];
  /** More than this many reminders due at once for one channel and recipient go as one digest; 0 never digests. */
  readonly digestMin: number;
  /** Wording of the renewal steps in digests; the defaults when absent. */
  readonly templates?: StepLibrary;
  /** Links messages offer besides the Apple portal (the console). */
  readonly links?: MessageLinks;
  /** After this many seconds a pass takes no new sends; the rest stays queued for the next pass. Unbounded when absent. */
  readonly deliveryBudgetSeconds?: number;
}

export interface DeliverOptions {
  readonly outbox: Outbox;
  readonly channels: ReadonlyMap<string, Channel>;
  /** Claims each message's rows under this process's lease just before it is sent. */
  readonly claims: SendClaims;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: DeliverySettings;
  /** Asked before each send; true stops taking new work (shutdown). */
  readonly shouldStop?: () => boolean;
  /** Outbox rows read (and their messages held) at a time; the queue is drained batch after batch. 1000 by default. */
  readonly batchSize?: number;
  /** Hears how many of the rows due when the pass began have been dealt with (sent, to retry or failed). */
  readonly onProgress?: (step: 'sending', done: number, total: number) => void;
}

/**
 * Rows read per batch. Digests are formed within a batch, so this is also the most reminders (of all channels) one
 * digest round can carry; a recipient with more due at once gets one digest per batch.
 */
const DEFAULT_BATCH_SIZE = 1000;

/** One message to send: a reminder on its own, or a digest of several for the same recipient. */
type Unit =
  | { readonly kind: 'single'; readonly entry: OutboxEntry }
  | { readonly kind: 'digest'; readonly recipient: string; readonly entries: readonly OutboxEntry[]; readonly part: DigestPart };

/**
 * Delivers every due outbox row, reading the queue in batches so that memory stays bounded however much is due.
 * Each row is tried at most once per call; a channel that was rate-limited is held back for the rest of the call,
 * and once the budget is spent no new send starts. The loop ends when a batch brings no row it has not tried yet.
 */
export async function deliverDue(options: DeliverOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  const heldBack = new Set<string>();
  const tried = new Set<number>();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const budget = startDeliveryBudget(options.settings.deliveryBudgetSeconds);
  // Counted only for a progress bar: the daemon's passes do not pay for it.
  const onProgress = options.onProgress;
  const total = onProgress === undefined ? 0 : options.outbox.countDue(options.clock.now());
  const progress =
    onProgress === undefined || total === 0 ? undefined : (): void => onProgress('sending', report.sent + report.retrying + report.failed, total);
  while (options.shouldStop?.() !== true && !budget.isSpent() && report.leaseLost !== true) {
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
    await Promise.all([...byChannel].map(([name, entries]) => deliverChannel(name, entries, options, report, budget, heldBack, progress)));
    if (batch.length < batchSize) break;
  }
  if (report.leaseLost === true) {
    options.logger.warn('delivery.lease_lost', {
      holder: options.claims.holder,
      leftQueued: options.outbox.countDue(options.clock.now()),
      message: 'another process took the sending lease; stopped before the next send, the rest is left to it',
    });
  } else if (budget.isSpent()) {
    const left = options.outbox.countDue(options.clock.now());
    if (left > 0) options.logger.warn('delivery.budget_spent', { budgetSeconds: options.settings.deliveryBudgetSeconds, leftQueued: left });
  }
  return report;
}

/** A reminder can go in a digest when its facts are stored and it asks for renewal (not a "renewed" confirmation). */
function digestible(entry: OutboxEntry): entry is OutboxEntry & { reminder: Reminder } {
  return entry.reminder !== null && (entry.reminder.kind === 'threshold' || entry.reminder.kind === 'expired');
}

/** Splits a channel's due rows into messages: per recipient, a digest when more than `digestMin` are digestible. */
function planUnits(channel: Channel | undefined, entries: readonly OutboxEntry[], digestMin: number): Unit[] {
  const byRecipient = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const list = byRecipient.get(entry.recipient) ?? [];
    list.push(entry);
    byRecipient.set(entry.recipient, list);
  }
  const units: Unit[] = [];
  for (const [recipient, list] of byRecipient) {
    const grouped = list.filter(digestible);
    if (digestMin === 0 || grouped.length <= digestMin) {
      for (const entry of list) units.push({ kind: 'single', entry });
      continue;
    }
    const max = channel?.digestMaxTokens ?? grouped.length;
    const count = Math.ceil(grouped.length / max);
    for (let index = 0; index < count; index += 1) {
      units.push({ kind: 'digest', recipient, entries: grouped.slice(index * max, (index + 1) * max), part: { index: index + 1, count } });
    }
    for (const entry of list.filter((e) => !digestible(e))) units.push({ kind: 'single', entry });
  }
  return units;
}

async function deliverChannel(
  name: string,
  entries: readonly OutboxEntry[],
  options: DeliverOptions,
  report: DeliveryReport,
  budget: DeliveryBudget,
  heldBack: Set<string>,
  progress: (() => void) | undefined,
): Promise<void> {
  const { outbox } = options;
  const channel = options.channels.get(name);
  // The outcome of the message just sent (marked sent, or failed), written in the same transaction as the next
  // message's claim: one commit per message instead of two. A crash before that commit repeats only the message
  // just accepted, as marking it at once would have after a crash during its send: still at most one per crash.
  let outcome: (() => void) | null = null;
  const recordOutcome = (): void => {
    const record = outcome;
    outcome = null;
    record?.();
  };
  try {
    for (const planned of planUnits(channel, entries, options.settings.digestMin)) {
      if (options.shouldStop?.() === true || budget.isSpent() || report.leaseLost === true) return;
      const unit = outbox.inTransaction(() => {
        recordOutcome();
        return claimUnit(planned, options.claims);
      });
      if (unit === 'lost') {
        report.leaseLost = true;
        return;
      }
      if (unit === null) continue;
      const isHeldBack = await sendUnit(name, unit, channel, options, report, (record) => (outcome = record));
      progress?.();
      if (isHeldBack) {
        heldBack.add(name);
        return;
      }
    }
  } finally {
    recordOutcome();
  }
}

/** The rows a message carries, with their delivery ids (a hash of each row's key: the same on every retry). */
function deliveryOfRows(rows: readonly OutboxEntry[]): Delivery {
  return deliveryOf(rows.map((row) => ({ id: deliveryId(row), alert: row.alert, tokenName: row.tokenName, expiresAt: row.expiresAt })));
}

/**
 * Sends one claimed message and hands `setOutcome` what to record about it (run in the next claim's transaction).
 * Returns true when the server asked to slow down: the rest of this channel's queue waits for a later pass.
 */
async function sendUnit(
  name: string,
  unit: Unit,
  channel: Channel | undefined,
  options: DeliverOptions,
  report: DeliveryReport,
  setOutcome: (record: () => void) => void,
): Promise<boolean> {
  const { outbox, clock, logger } = options;
  const rows = unit.kind === 'single' ? [unit.entry] : unit.entries;
  const ids = rows.map((row) => row.id);
  let fields: Record<string, unknown>;
  let message: Message;
  let recipient: string;
  if (unit.kind === 'single') {
    const { entry } = unit;
    fields = { token: entry.tokenName, alert: entry.alert, threshold: thresholdDays(parseAlertKey(entry.alert)), channel: entry.channel, recipient: entry.recipient };
    message = atSendTime(entry, clock.now(), options.settings.templates, options.settings.links);
    recipient = entry.recipient;
  } else {
    const digestId = outbox.startDigest(name, unit.recipient, ids, clock.now());
    fields = { digest: digestId, reminders: rows.length, part: `${unit.part.index}/${unit.part.count}`, channel: name, recipient: unit.recipient };
    message = digestMessage(
      unit.entries.map((entry) => entry.reminder as Reminder),
      clock.now(),
      options.settings.templates,
      unit.part,
      options.settings.links,
    );
    recipient = unit.recipient;
  }
  try {
    if (channel === undefined) throw new Error(`channel "${name}" is not configured`);
    await channel.send(recipient, message, deliveryOfRows(rows));
    // The subject as sent, which may differ from the one stored at scan time (days left counted today).
    const sentAt = clock.now();
    setOutcome(() => outbox.markAllSent(ids, sentAt, message.subject));
    report.sent += rows.length;
    logger.info(unit.kind === 'single' ? 'delivery.sent' : 'digest.sent', fields);
  } catch (error) {
    const text = redact(oneLine(error), options.settings.secrets);
    if (error instanceof PermanentDeliveryError) {
      setOutcome(() => outbox.markAllFailed(ids, text, null));
      report.failed += rows.length;
      logger.error(unit.kind === 'single' ? 'delivery.failed' : 'digest.failed', { ...fields, error: text, willRetry: false });
    } else {
      const attempt = Math.max(...rows.map((row) => row.attempts)) + 1;
      const retryAt = retryTime(error, attempt, options.settings.retry, clock.now());
      setOutcome(() => outbox.markAllFailed(ids, text, retryAt));
      report.retrying += rows.length;
      logger.warn(unit.kind === 'single' ? 'delivery.retrying' : 'digest.retrying', { ...fields, error: text, attempt, retryAt: retryAt.toISO() });
      // Rate limited: the rest of this channel's queue waits too, instead of hammering the server.
      if (error instanceof RetryLaterError) return true;
    }
  }
  return false;
}

/**
 * Claims a message's rows: the message with only the rows claimed (null when none is: another process has them),
 * or 'lost' when this process no longer holds the lease.
 */
function claimUnit(unit: Unit, claims: SendClaims): Unit | null | 'lost' {
  const rows = unit.kind === 'single' ? [unit.entry] : unit.entries;
  const claimed = claims.claim(rows);
  if (claimed === null) return 'lost';
  if (claimed.length === rows.length) return unit;
  if (claimed.length === 0 || unit.kind === 'single') return null;
  const ids = new Set(claimed);
  return { ...unit, entries: unit.entries.filter((entry) => ids.has(entry.id)) };
}

/**
 * The message as of now: rendered from its stored facts, counting the days left on the day it goes out (a reminder
 * may have waited for the send window or a retry). Rows queued before facts were stored keep their rendered text.
 */
function atSendTime(entry: OutboxEntry, now: DateTime, templates: StepLibrary | undefined, links: MessageLinks | undefined): Message {
  const { reminder } = entry;
  if (reminder === null) {
    if (entry.message === null) throw new Error('outbox row has neither facts nor a rendered message');
    return renderedMessage(entry.message);
  }
  return reminderMessage({ ...reminder, daysLeft: daysLeft(reminder.token.expiresAt, now, reminder.zone) }, templates, links);
}

/** One retry time for all the rows of a message: the server's Retry-After, else backoff from the most-tried row. */
function retryTime(error: unknown, attempt: number, policy: RetryPolicy, now: DateTime): DateTime {
  // A server's Retry-After is authoritative: retry exactly then, not on our backoff.
  if (error instanceof RetryLaterError) return now.plus({ seconds: Math.max(1, error.retryAfterSeconds) });
  return now.plus({ seconds: retryDelaySeconds(attempt, policy) });
}

// One pass over the registry, as a shell around the pure plan: reads what was decided, asks planToken what to record,
// hands each plan to the store in batched transactions, then delivers what the outbox holds.
import type { DateTime } from 'luxon';
import { coerceError } from '../errors';
import { alertKey, thresholdDays, type AlertKey } from '../domain/alert';
import { hasRealChannel, NO_RECIPIENT_ERROR, UNROUTED } from '../domain/channel-name';
import { globalHorizon } from '../domain/due-reminders';
import { planToken, type QueuedReminder, type TokenPlan } from '../domain/plan-token';
import type { Route } from '../domain/routing';
import { deliverDue, type DeliveryReport } from './deliver';
import type { EngineDeps } from './engine-settings';

/** A reminder the scan queued (or, in a dry run, would queue), as `scan --json` prints it. */
export interface PlannedReminder {
  readonly token: string;
  readonly alert: AlertKey;
  readonly subject: string;
  readonly routes: readonly (Route | { readonly channel: string; readonly recipient: string; readonly failure: string })[];
  /** When the reminder is first tried, if later than the scan (it waits for the send window); absent: at once. */
  readonly waitsUntil?: DateTime;
}

export interface ScanReport {
  readonly at: DateTime;
  readonly planned: readonly PlannedReminder[];
  readonly skipped: number;
  readonly delivery: DeliveryReport;
}

type PlanningDeps = Pick<EngineDeps, 'tokens' | 'outbox' | 'settings' | 'onProgress'>;

/** The plans one at a time: a scan records each batch before the next plans are made. */
function* eachPlan(deps: PlanningDeps, now: DateTime): Generator<TokenPlan> {
  const { settings, onProgress } = deps;
  // Whether a reminder only previewed so far can now go out for real: only then is it worth asking the outbox.
  const isSending = hasRealChannel(settings.enabled);
  const candidates = deps.tokens.dueCandidates(now, globalHorizon(now, settings.policy.thresholds));
  let done = 0;
  for (const token of candidates) {
    const decided = deps.outbox.decidedAlerts(token.id, token.expiresAt);
    const previewedOnly = isSending && decided.size > 0 ? deps.outbox.previewedOnlyAlerts(token.id, token.expiresAt) : undefined;
    const plan = planToken(token, decided, now, settings, previewedOnly);
    done += 1;
    onProgress?.('planning', done, candidates.length);
    if (plan !== null) yield plan;
  }
}

function planned(plan: TokenPlan, queued: QueuedReminder, now: DateTime, routes: PlannedReminder['routes']): PlannedReminder {
  return {
    token: plan.token.name,
    alert: alertKey(queued.alert),
    subject: queued.subject,
    routes,
    ...(queued.notBefore > now ? { waitsUntil: queued.notBefore } : {}),
  };
}

/** Shows what a scan at `now` would queue, recording nothing. */
export function dryRun(deps: PlanningDeps, now: DateTime): PlannedReminder[] {
  return [...eachPlan(deps, now)].flatMap((plan) => [...plan.queue, ...plan.afterPreview].map((queued) => planned(plan, queued, now, queued.routes)));
}

/** Plans recorded per write transaction: one commit per hundred tokens rather than per token. */
const RECORD_BATCH = 100;

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Records one plan (its own savepoint inside the batch's transaction): what it newly queued, or why it failed. */
function recordPlan(deps: EngineDeps, plan: TokenPlan, now: DateTime): readonly QueuedReminder[] | Error {
  try {
    const queued = deps.outbox.record(plan, now);
    if (plan.settlesRenewal) deps.tokens.clearRenewalPending(plan.token.id);
    return queued;
  } catch (error) {
    return coerceError(error);
  }
}

/** One scan: records every due reminder in the outbox before sending, then delivers what is due there. */
export async function scan(deps: EngineDeps, now: DateTime = deps.clock.now()): Promise<ScanReport> {
  const { outbox, logger } = deps;
  const report: PlannedReminder[] = [];
  let skipped = 0;
  /** Reminders recorded as failed at once because they have no recipient at all. */
  let unroutable = 0;
  for (const batch of chunks(eachPlan(deps, now), RECORD_BATCH)) {
    let results: (readonly QueuedReminder[] | Error)[];
    try {
      results = outbox.inTransaction(() => batch.map((plan) => recordPlan(deps, plan, now)));
    } catch (error) {
      // The batch could not be committed (e.g. the database stayed locked): nothing of it was recorded.
      const failure = coerceError(error);
      results = batch.map(() => failure);
    }
    // Reported only once committed, so that the logs never tell of a decision that was rolled back.
    batch.forEach((plan, index) => {
      const result = results[index] ?? [];
      const token = plan.token.name;
      if (result instanceof Error) {
        // One token's failure never stops the scan.
        logger.error('scan.token_failed', { token, error: result.message });
        return;
      }
      skipped += plan.skip.length;
      for (const alert of plan.skip) logger.info('reminder.skipped', { token, alert: alertKey(alert), reason: 'superseded' });
      for (const queued of result) {
        const alert = alertKey(queued.alert);
        const isRouted = queued.routes.length > 0;
        const { subject } = queued;
        const deliveries = isRouted ? queued.routes.map((route) => ({ ...route, subject })) : [{ ...UNROUTED, subject, failure: NO_RECIPIENT_ERROR }];
        const entry = planned(plan, queued, now, deliveries);
        report.push(entry);
        logger.info('reminder.queued', {
          token,
          alert,
          threshold: thresholdDays(queued.alert),
          deliveries: deliveries.length,
          ...(entry.waitsUntil === undefined ? {} : { waitsUntil: entry.waitsUntil.toISO() }),
        });
        if (!isRouted) {
          unroutable += 1;
          logger.error('delivery.failed', { token, alert, channel: UNROUTED.channel, error: NO_RECIPIENT_ERROR });
        }
      }
    });
  }
  const delivery = await deliverDue(deps);
  return { at: now, planned: report, skipped, delivery: { ...delivery, failed: delivery.failed + unroutable } };
}

// One pass over the registry: decide what is due, record it in the outbox, then deliver what the outbox holds.
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { coerceError } from '../errors';
import { daysLeft } from '../domain/dates';
import { RENEWED, alertKey, parseAlertKey, thresholdDays, type AlertKey } from '../domain/alert';
import { globalHorizon, whatIsDue, type DuePolicy } from '../domain/due-reminders';
import { NO_RECIPIENT_ERROR, UNROUTED } from '../domain/channel-name';
import type { Reminder } from '../domain/reminder';
import { reminderSubject } from '../domain/reminder-content';
import type { StepTemplates } from '../domain/renewal-steps';
import type { EnabledChannels } from '../domain/channel-name';
import { routesFor, type RoutingDefaults } from '../domain/routing';
import type { RetryPolicy } from '../domain/retry-policy';
import { firstAttemptAt, type SendWindowPolicy } from '../domain/send-window';
import type { Token } from '../domain/token';
import { isMuted } from '../domain/token-state';
import type { MessageLinks } from '../domain/reminder-content';
import type { Logger } from '../log';
import type { Channel } from '../notify/channel';
import type { NewDelivery, Outbox } from '../store/outbox';
import type { TokenRepository } from '../store/token-repository';
import { deliverDue, type DeliverOptions, type DeliveryReport } from './deliver';
import type { SendClaims } from './send-claims';

const RENEWED_KEY = alertKey(RENEWED);

export interface ScanSettings {
  readonly policy: DuePolicy;
  readonly routing: RoutingDefaults;
  readonly enabled: EnabledChannels;
  readonly retry: RetryPolicy;
  readonly templates?: StepTemplates;
  /** Links messages offer besides the Apple portal (the console). */
  readonly links?: MessageLinks;
  readonly secrets: readonly string[];
  /** A delivery pass takes no new sends after this many seconds (TOKENWATCH_DELIVERY_BUDGET_SECONDS); unbounded when absent. */
  readonly deliveryBudgetSeconds?: number;
  /** More than this many reminders due at once for one channel and recipient go as one digest; 0 never digests. */
  readonly digestMin: number;
  /** Quiet hours: reminders recorded outside the window wait for its opening; null sends at any time. */
  readonly sendWindow: SendWindowPolicy | null;
}

export interface ScanDeps {
  readonly tokens: TokenRepository;
  readonly outbox: Outbox;
  readonly channels: ReadonlyMap<string, Channel>;
  /** Claims each message's rows under the sending lease this process holds. */
  readonly claims: SendClaims;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: ScanSettings;
  readonly shouldStop?: () => boolean;
}

/** A reminder the scan decided to send (or, in a dry run, would send). */
export interface PlannedReminder {
  readonly token: string;
  readonly alert: AlertKey;
  readonly subject: string;
  readonly routes: readonly { channel: string; recipient: string }[];
  /** When the reminder is first tried, if later than the scan (it waits for the send window); null: at once. */
  readonly waitsUntil?: DateTime;
}

export interface ScanReport {
  readonly at: DateTime;
  readonly planned: readonly PlannedReminder[];
  readonly skipped: number;
  readonly delivery: DeliveryReport;
}

interface Plan {
  readonly token: Token;
  readonly alert: AlertKey | null;
  readonly reminder: Reminder | null;
  /** The subject of the reminder to send; its bodies are rendered when it is sent. */
  readonly subject: string | null;
  readonly skip: readonly AlertKey[];
}

/**
 * The plans one at a time: a scan records each plan before the next is made. Only the subject is worked out here;
 * messages are rendered from the stored facts when they are sent, so a scan never writes or holds rendered bodies.
 */
function* eachPlan(deps: Pick<ScanDeps, 'tokens' | 'outbox' | 'settings'>, now: DateTime): Generator<Plan> {
  const { policy } = deps.settings;
  for (const token of deps.tokens.dueCandidates(now, globalHorizon(now, policy.thresholds))) {
    const decided = deps.outbox.decidedAlerts(token.id, token.expiresAt);
    const renewal = planRenewal(token, decided, now, policy);
    if (renewal !== null) yield renewal;
    const decision = whatIsDue(token, decided, now, policy);
    if (decision.send === null && decision.skip.length === 0) continue;
    const reminder: Reminder | null =
      decision.send === null
        ? null
        : {
            kind: decision.send.kind,
            threshold: decision.send.threshold,
            token: reminderToken(token),
            daysLeft: decision.send.daysLeft,
            zone: policy.zone,
          };
    yield {
      token,
      alert: decision.send?.alert ?? null,
      reminder,
      subject: reminder === null ? null : reminderSubject(reminder),
      skip: decision.skip,
    };
  }
}

function planRenewal(token: Token, decided: ReadonlySet<AlertKey>, now: DateTime, policy: DuePolicy): Plan | null {
  if (!isPendingRenewal(token, decided)) return null;
  if (isMuted(token, now)) return { token, alert: null, reminder: null, subject: null, skip: [RENEWED_KEY] };
  const reminder: Reminder = {
    kind: 'renewed',
    threshold: null,
    token: reminderToken(token),
    daysLeft: daysLeft(token.expiresAt, now, policy.zone),
    zone: policy.zone,
  };
  return { token, alert: RENEWED_KEY, reminder, subject: reminderSubject(reminder), skip: [] };
}

/** A renewal asks for one confirmation per new expiry; the decision table says whether it was handled. */
function isPendingRenewal(token: Token, decided: ReadonlySet<AlertKey>): boolean {
  return token.renewalPending && !decided.has(RENEWED_KEY);
}

function reminderToken(token: Token): Reminder['token'] {
  return {
    name: token.name,
    kind: token.kind,
    orgName: token.orgName,
    expiresAt: token.expiresAt,
    appleId: token.appleId,
    orgGroup: token.orgGroup,
  };
}

function deliveriesFor(token: Token, subject: string, settings: ScanSettings): NewDelivery[] {
  const routes = routesFor(token, settings.routing, settings.enabled);
  if (routes.length === 0) {
    return [
      {
        ...UNROUTED,
        subject,
        failure: NO_RECIPIENT_ERROR,
      },
    ];
  }
  return routes.map((route) => ({ channel: route.channel, recipient: route.recipient, subject }));
}

/** When a planned reminder is first tried: at `now`, or at the send window's next opening. */
function firstAttempt(plan: Plan, settings: ScanSettings, now: DateTime): DateTime {
  if (plan.reminder === null) return now;
  const { kind, threshold } = plan.reminder;
  if (kind === 'test') return now;
  const thresholds = plan.token.thresholds ?? settings.policy.thresholds;
  const smallestThreshold = Math.min(...thresholds);
  return firstAttemptAt(settings.sendWindow, { kind, threshold, smallestThreshold }, now, settings.policy.zone);
}

/** Shows what a scan at `now` would send, recording nothing. */
export function dryRun(deps: Pick<ScanDeps, 'tokens' | 'outbox' | 'settings'>, now: DateTime): PlannedReminder[] {
  return [...eachPlan(deps, now)].flatMap((plan) => {
    if (plan.alert === null || plan.subject === null) return [];
    const at = firstAttempt(plan, deps.settings, now);
    return [
      {
        token: plan.token.name,
        alert: plan.alert,
        subject: plan.subject,
        routes: routesFor(plan.token, deps.settings.routing, deps.settings.enabled),
        ...(at > now ? { waitsUntil: at } : {}),
      },
    ];
  });
}

/** Plans recorded per write transaction: one commit per hundred tokens rather than per token. */
const RECORD_BATCH = 100;

/** What recording one plan did: its deliveries and whether its alert was new, or why it failed. */
type Recorded =
  | { readonly plan: Plan; readonly deliveries: readonly NewDelivery[]; readonly isNew: boolean; readonly notBefore: DateTime }
  | { readonly plan: Plan; readonly error: string };

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

/** Records one plan (its own savepoint inside the batch's transaction); a failure is returned, not thrown. */
function recordPlan(deps: ScanDeps, plan: Plan, now: DateTime): Recorded {
  try {
    const deliveries = plan.subject === null ? [] : deliveriesFor(plan.token, plan.subject, deps.settings);
    const notBefore = firstAttempt(plan, deps.settings, now);
    const isNew = deps.outbox.record(
      {
        tokenId: plan.token.id,
        tokenName: plan.token.name,
        expiresAt: plan.token.expiresAt,
        queue: plan.alert === null || plan.reminder === null ? null : { alert: plan.alert, deliveries, notBefore, reminder: plan.reminder },
        skip: plan.skip,
      },
      now,
    );
    if (plan.alert === RENEWED_KEY || plan.skip.includes(RENEWED_KEY)) deps.tokens.clearRenewalPending(plan.token.id);
    return { plan, deliveries, isNew, notBefore };
  } catch (error) {
    return { plan, error: coerceError(error).message };
  }
}

/** One scan: records every due reminder in the outbox before sending, then delivers what is due there. */
export async function scan(deps: ScanDeps, now: DateTime = deps.clock.now()): Promise<ScanReport> {
  const { outbox, logger } = deps;
  const planned: PlannedReminder[] = [];
  let skipped = 0;
  /** Reminders recorded as failed at once because they have no recipient at all. */
  let unroutable = 0;
  for (const batch of chunks(eachPlan(deps, now), RECORD_BATCH)) {
    let results: Recorded[];
    try {
      results = outbox.inTransaction(() => batch.map((plan) => recordPlan(deps, plan, now)));
    } catch (error) {
      // The batch could not be committed (e.g. the database stayed locked): nothing of it was recorded.
      const message = coerceError(error).message;
      results = batch.map((plan) => ({ plan, error: message }));
    }
    // Reported only once committed, so that the logs never tell of a decision that was rolled back.
    for (const result of results) {
      const { plan } = result;
      if ('error' in result) {
        // One token's failure never stops the scan.
        logger.error('scan.token_failed', { token: plan.token.name, error: result.error });
        continue;
      }
      skipped += plan.skip.length;
      for (const alert of plan.skip) logger.info('reminder.skipped', { token: plan.token.name, alert, reason: 'superseded' });
      if (plan.alert !== null && plan.subject !== null && result.isNew) {
        const { deliveries, notBefore } = result;
        const waitsUntil = notBefore > now ? notBefore : null;
        planned.push({ token: plan.token.name, alert: plan.alert, subject: plan.subject, routes: deliveries, ...(waitsUntil === null ? {} : { waitsUntil }) });
        logger.info('reminder.queued', {
          token: plan.token.name,
          alert: plan.alert,
          threshold: thresholdDays(parseAlertKey(plan.alert)),
          deliveries: deliveries.length,
          ...(waitsUntil === null ? {} : { waitsUntil: waitsUntil.toISO() }),
        });
        for (const failed of deliveries.filter((d) => d.failure !== undefined)) {
          unroutable += 1;
          logger.error('delivery.failed', { token: plan.token.name, alert: plan.alert, channel: failed.channel, error: failed.failure });
        }
      }
    }
  }
  const delivery = await deliverDue(deliveryOptions(deps));
  return { at: now, planned, skipped, delivery: { ...delivery, failed: delivery.failed + unroutable } };
}

/** What a delivery pass needs, from the scan's parts: a scan delivers with these, and so does the daemon's retry pass. */
export function deliveryOptions(deps: ScanDeps): DeliverOptions {
  const { settings } = deps;
  return {
    outbox: deps.outbox,
    channels: deps.channels,
    claims: deps.claims,
    clock: deps.clock,
    retry: settings.retry,
    logger: deps.logger,
    secrets: settings.secrets,
    digestMin: settings.digestMin,
    ...(settings.templates === undefined ? {} : { templates: settings.templates }),
    ...(settings.links === undefined ? {} : { links: settings.links }),
    ...(deps.shouldStop === undefined ? {} : { shouldStop: deps.shouldStop }),
    ...(settings.deliveryBudgetSeconds === undefined ? {} : { budgetSeconds: settings.deliveryBudgetSeconds }),
  };
}

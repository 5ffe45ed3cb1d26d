// Everything a scan records for one token at one instant, worked out in one place. Pure, time as a parameter: the
// engine reads the ledger, calls planToken and hands the plan to the store; nothing here reads or writes anything.
import type { DateTime } from 'luxon';
import { RENEWED, alertKey, type Alert, type AlertKey } from './alert';
import { hasRealChannel, type EnabledChannels } from './channel-name';
import { daysLeft } from './dates';
import { whatIsDue, type DuePolicy } from './due-reminders';
import type { Reminder } from './reminder';
import { reminderSubject } from './reminder-content';
import { alertRoutes, type Route, type RoutingDefaults } from './routing';
import { firstAttemptAt, type SendWindowPolicy } from './send-window';
import type { Token } from './token';
import { isMuted } from './token-state';

/** What planning needs to know besides the token: when alerts are due, where they go, and when they may go out. */
export interface PlanSettings {
  readonly policy: DuePolicy;
  readonly routing: RoutingDefaults;
  readonly enabled: EnabledChannels;
  /** Quiet hours: reminders planned outside the window wait for its opening; null sends at any time. */
  readonly sendWindow: SendWindowPolicy | null;
}

/** One reminder to queue: what it is about, the facts its messages are rendered from, where it goes and from when. */
export interface QueuedReminder {
  readonly alert: Alert;
  readonly reminder: Reminder;
  /** The subject of its messages (stored with each delivery; the bodies are rendered when it is sent). */
  readonly subject: string;
  /** One delivery per channel and recipient; empty when the token has no recipient at all. */
  readonly routes: readonly Route[];
  /** Its first attempt: the planning instant, or the send window's next opening. */
  readonly notBefore: DateTime;
}

export interface TokenPlan {
  readonly token: Token;
  /** What to queue, in order: the renewal confirmation, then the most urgent alert that is due. */
  readonly queue: readonly QueuedReminder[];
  /** Alerts decided without being sent: superseded by a more urgent one, or the confirmation of a muted token's renewal. */
  readonly skip: readonly Alert[];
  /** Whether this plan settles a pending renewal (its confirmation queued or skipped), so the token no longer asks for one. */
  readonly settlesRenewal: boolean;
  /**
   * The token's current reminder, decided while only previews were written, to queue now on the real channels
   * configured since (its decision stands: it is not decided again). Empty in every other case.
   */
  readonly afterPreview: readonly QueuedReminder[];
}

const NONE: ReadonlySet<AlertKey> = new Set();

/**
 * What a scan at `now` records for `token`, given the alerts already decided for its current expiry; null when there
 * is nothing to record. A renewal asks for one confirmation per new expiry (skipped while muted); then `whatIsDue`
 * says which alert is due and which are superseded. `previewedOnly` holds the decided alerts that went only to the
 * preview folder.
 */
export function planToken(
  token: Token,
  decided: ReadonlySet<AlertKey>,
  now: DateTime,
  settings: PlanSettings,
  previewedOnly: ReadonlySet<AlertKey> = NONE,
): TokenPlan | null {
  const queue: QueuedReminder[] = [];
  const skip: Alert[] = [];
  const settlesRenewal = token.renewalPending && !decided.has(alertKey(RENEWED));
  if (settlesRenewal) {
    if (isMuted(token, now)) skip.push(RENEWED);
    else queue.push(queued(token, RENEWED, now, settings));
  }
  const due = whatIsDue(token, decided, now, settings.policy);
  if (due.send !== null) queue.push(queued(token, due.send, now, settings));
  skip.push(...due.skip);
  const afterPreview = due.send === null ? currentAfterPreview(token, decided, previewedOnly, now, settings) : [];
  if (queue.length === 0 && skip.length === 0 && afterPreview.length === 0) return null;
  return { token, queue, skip, settlesRenewal, afterPreview };
}

/**
 * A preview reaches nobody, so it does not count as delivered: once email, Slack or Teams is configured, the token's current
 * reminder (its most urgent due alert, if it was decided while only previews were written) goes out on them, once.
 * Alerts it superseded are not sent late.
 */
function currentAfterPreview(
  token: Token,
  decided: ReadonlySet<AlertKey>,
  previewedOnly: ReadonlySet<AlertKey>,
  now: DateTime,
  settings: PlanSettings,
): QueuedReminder[] {
  const { enabled } = settings;
  if (enabled.preview || !hasRealChannel(enabled)) return [];
  const current = whatIsDue(token, NONE, now, settings.policy).send;
  if (current === null) return [];
  const key = alertKey(current);
  return decided.has(key) && previewedOnly.has(key) ? [queued(token, current, now, settings)] : [];
}

function queued(token: Token, alert: Alert, now: DateTime, settings: PlanSettings): QueuedReminder {
  const mentions = token.slackMentions ?? settings.routing.slackMentions ?? [];
  const reminder = reminderFacts(token, alert, now, settings.policy.zone, mentions);
  const smallestThreshold = smallestThresholdOf(token, settings.policy.thresholds);
  return {
    alert,
    reminder,
    subject: reminderSubject(reminder),
    routes: alertRoutes(token, alert, smallestThreshold, settings.routing, settings.enabled),
    notBefore: firstAttemptAt(settings.sendWindow, alert, smallestThreshold, now, settings.policy.zone),
  };
}

/** The token's smallest threshold in days: its own thresholds', or the default ones'. */
export function smallestThresholdOf(token: Pick<Token, 'thresholds'>, defaults: readonly number[]): number {
  return Math.min(...(token.thresholds ?? defaults));
}

/**
 * The facts a reminder's messages are rendered from (stored with it in the outbox). `mentions`: the Slack users and
 * user groups its Slack message pings.
 */
export function reminderFacts(token: Token, alert: Alert, now: DateTime, zone: string, mentions: readonly string[] = []): Reminder {
  return {
    kind: reminderKind(alert),
    threshold: alert.kind === 'threshold' ? alert.days : null,
    token: {
      name: token.name,
      kind: token.kind,
      orgName: token.orgName,
      expiresAt: token.expiresAt,
      appleId: token.appleId,
      orgGroup: token.orgGroup,
      mdm: token.mdm,
      topic: token.topic,
      consoleUrl: token.consoleUrl,
    },
    daysLeft: daysLeft(token.expiresAt, now, zone),
    zone,
    ...(mentions.length === 0 ? {} : { mentions }),
  };
}

/** The message a reminder gets: alerts that sources will raise have no wording of their own yet. */
function reminderKind(alert: Alert): Reminder['kind'] {
  switch (alert.kind) {
    case 'threshold':
    case 'expired':
    case 'renewed':
    case 'test':
      return alert.kind;
    case 'invalid':
    case 'source-stale':
    case 'source-recovered':
      throw new Error(`no reminder wording for ${alertKey(alert)} alerts yet`);
  }
}

// What a reminder is about, and what it looks like once rendered for the channels. Pure types.
import type { DateTime } from 'luxon';
import type { MdmName, TokenKind } from './kinds';

/**
 * `threshold`: the token expires within `threshold` days (60: plan, 30: act, 7: urgent).
 * `expired`: the expiry instant has passed (service is impaired).
 * `renewed`: a short confirmation after a renewal.
 * `test`: a clearly marked test message from `tokenwatch test-notify`.
 */
export type ReminderKind = 'threshold' | 'expired' | 'renewed' | 'test';

export interface ReminderToken {
  readonly name: string;
  readonly kind: TokenKind;
  readonly orgName: string | null;
  readonly expiresAt: DateTime;
  readonly appleId: string | null;
  readonly orgGroup: string | null;
  /** The MDM console (selects the console steps); absent in facts queued before it existed: Workspace ONE UEM. */
  readonly mdm?: MdmName;
  /** APNs push topic; absent or null when unknown or not a push certificate. */
  readonly topic?: string | null;
  /** The token's own console page, linked instead of TOKENWATCH_CONSOLE_URL; absent or null: the global one. */
  readonly consoleUrl?: string | null;
}

export interface Reminder {
  readonly kind: ReminderKind;
  /** The threshold in days for `threshold` reminders; null otherwise. */
  readonly threshold: number | null;
  readonly token: ReminderToken;
  /** Calendar days from today to the expiry date in `zone` (negative once expired). */
  readonly daysLeft: number;
  /** IANA zone the dates are shown in. */
  readonly zone: string;
  /** Slack user (U…, W…) and user-group (S…) ids its Slack message mentions; absent for none. */
  readonly mentions?: readonly string[];
}

/** A reminder rendered in every format: what outbox rows queued before messages were rendered when sent hold. */
export type { RenderedMessage as RenderedReminder } from './message/message';

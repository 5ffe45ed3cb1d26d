// What a registered Apple token is. Pure data: no I/O here.
import type { DateTime } from 'luxon';

import type { MdmName, TokenKind } from './kinds';

// The kinds live in their registry (src/domain/kinds/); re-exported here, where the token is defined.
export { TOKEN_KINDS, TOKEN_KIND_LABELS, type TokenKind } from './kinds';

/** A token in the registry. Instants are luxon DateTimes in UTC; the secret `token` value is never part of it. */
export interface Token {
  readonly id: number;
  readonly name: string;
  readonly kind: TokenKind;
  /** orgName from the token file, when known. */
  readonly orgName: string | null;
  readonly expiresAt: DateTime;
  /** When the token was added to the registry; a renewal does not change it. */
  readonly addedAt: DateTime;
  /** When the current token file was downloaded from Apple, when known (`--downloaded`, CSV `downloaded`). */
  readonly downloadedAt: DateTime | null;
  /** The Apple account that created the token. */
  readonly appleId: string | null;
  /** The console Organization Group path where the token resides. */
  readonly orgGroup: string | null;
  /** Email recipients overriding the default ones. */
  readonly email: readonly string[] | null;
  /** Slack channel overriding the default one. */
  readonly slackChannel: string | null;
  /** The Teams webhook, by name (never its URL), overriding TOKENWATCH_TEAMS_DEFAULT. */
  readonly teams: string | null;
  /** Escalation contacts overriding the default ones (TOKENWATCH_ESCALATE_*), per channel: see domain/escalation.ts. */
  readonly escalateEmail: readonly string[] | null;
  readonly escalateSlack: readonly string[] | null;
  /** Teams webhook names. */
  readonly escalateTeams: readonly string[] | null;
  /** Slack user (U…, W…) and user-group (S…) ids its Slack messages mention, overriding TOKENWATCH_SLACK_MENTION. */
  readonly slackMentions: readonly string[] | null;
  /** Thresholds in days overriding the default ones. */
  readonly thresholds: readonly number[] | null;
  readonly notes: string | null;
  /** SHA-256 (hex) of the token file's bytes. */
  readonly fingerprint: string | null;
  /** Set while the token is muted; `mutedUntil` null means until unmuted. */
  readonly mutedAt: DateTime | null;
  readonly mutedUntil: DateTime | null;
  /** True after a renewal until its "renewed" confirmation is queued. */
  readonly renewalPending: boolean;
  /** The MDM console it is uploaded to: selects the console part of the renewal steps. */
  readonly mdm: MdmName;
  /** APNs only: the push topic (subject UID, `com.apple.mgmt.…`); null for other kinds or when unknown. */
  readonly topic: string | null;
  /** The token's own console page (https), linked from its messages instead of TOKENWATCH_CONSOLE_URL; null: the global one. */
  readonly consoleUrl: string | null;
}

/** The fields an administrator sets when adding or editing a token. */
export interface TokenInput {
  name: string;
  kind: TokenKind;
  orgName: string | null;
  expiresAt: DateTime;
  /** When the token file was downloaded from Apple, when known. */
  downloadedAt: DateTime | null;
  appleId: string | null;
  orgGroup: string | null;
  email: string[] | null;
  slackChannel: string | null;
  teams: string | null;
  escalateEmail: string[] | null;
  escalateSlack: string[] | null;
  escalateTeams: string[] | null;
  slackMentions: string[] | null;
  thresholds: number[] | null;
  notes: string | null;
  fingerprint: string | null;
  mdm: MdmName;
  topic: string | null;
  /** The token's own console page; absent or null: TOKENWATCH_CONSOLE_URL. */
  consoleUrl?: string | null;
}

/**
 * What a token has when nobody chose anything for it: no Organization Group, recipients, webhook, escalation contacts,
 * mentions, thresholds or notes of its own, so every setting's default applies. For tokens registered by a program
 * (a source's sync, fixtures), so that a new per-token field is added here once.
 */
export const NO_OWN_CHOICES = {
  orgGroup: null,
  email: null,
  slackChannel: null,
  teams: null,
  escalateEmail: null,
  escalateSlack: null,
  escalateTeams: null,
  slackMentions: null,
  thresholds: null,
  notes: null,
} as const satisfies Partial<TokenInput>;

// The one validated configuration (what loadConfig returns): its shape and the small types of its values. Add a
// setting as one field here and one row in settings.ts.
import type { DailyHours, SendWindowBypass, Weekday } from '../domain/send-window';
import type { MdmName } from '../domain/kinds';
import type { HeartbeatKind } from '../domain/heartbeat';
import type { PasswordHash } from './password-hash-format';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  readonly dbPath: string;
  readonly zone: string;
  readonly schedule: string;
  readonly thresholds: readonly number[];
  /** Days between repeated `expired` alerts; 0 turns repeats off. */
  readonly expiredRepeatDays: number;
  /** More than this many reminders due at once for one recipient go as one digest; 0 never digests. */
  readonly digestMin: number;
  /** Daily hours reminders may go out, in `zone`; null = any time. */
  readonly sendWindow: DailyHours | null;
  /** Days the send window opens on. */
  readonly sendDays: readonly Weekday[];
  /** Reminders that go out at once even outside the send window. */
  readonly sendWindowBypass: SendWindowBypass;
  /** SMTP URL with the password filled in; null when email is not configured. Secret. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly mailTo: readonly string[];
  /** Slack bot token; null when Slack is not configured. Secret. */
  readonly slackToken: string | null;
  readonly slackChannel: string | null;
  readonly slackApiUrl: string;
  /** Named Teams Workflows webhooks (TOKENWATCH_TEAMS_WEBHOOKS or its _FILE); empty when Teams is not configured. URLs are secrets. */
  readonly teamsWebhooks: readonly TeamsWebhook[];
  /** The webhook name reminders go to: TOKENWATCH_TEAMS_DEFAULT, or the only webhook; null when none. */
  readonly teamsDefault: string | null;
  /** Default escalation contacts (a token's own replace them per channel); empty for none. Teams: webhook names. */
  readonly escalateEmail: readonly string[];
  readonly escalateSlack: readonly string[];
  readonly escalateTeams: readonly string[];
  /** Slack user and user-group ids every token's Slack messages mention unless it names its own; empty for none. */
  readonly slackMentions: readonly string[];
  /** TOKENWATCH_WEBHOOK_URL as given (a secret); also the first of `webhooks`, named "default". */
  readonly webhookUrl: string | null;
  /** Every signed-webhook receiver (TOKENWATCH_WEBHOOK_URL, then TOKENWATCH_WEBHOOKS); empty when none. URLs are secrets. */
  readonly webhooks: readonly NamedWebhook[];
  /** The webhooks' HMAC signing key (TOKENWATCH_WEBHOOK_SECRET); set whenever a webhook is. Secret. */
  readonly webhookSecret: string | null;
  /** The MDM console's address, offered as a button in reminders; null when not set. */
  readonly consoleUrl: string | null;
  /** The monitor the daemon pings around each scan (Healthchecks.io or Uptime Kuma); null when not set. Secret. */
  readonly heartbeatUrl: string | null;
  /** Which monitor heartbeatUrl is; null: told from the URL (docs/operations.md). */
  readonly heartbeatKind: HeartbeatKind | null;
  /** The bound for one heartbeat request. */
  readonly heartbeatTimeoutSeconds: number;
  readonly previewDir: string;
  readonly stepsDir: string;
  /** The MDM console a token is uploaded to when `add`/`import` is not told (`--mdm`, CSV column `mdm`). */
  readonly mdm: MdmName;
  readonly logLevel: LogLevel;
  /** First retry delay of a failed delivery; doubles per attempt up to `retryMaxSeconds`. */
  readonly retryBaseSeconds: number;
  readonly retryMaxSeconds: number;
  /**
   * The longest one channel spends on one message: Slack's whole call including its quick retries, SMTP's
   * connection, greeting and socket-inactivity timeouts. Longer waits are left to the outbox's backoff.
   */
  readonly sendTimeoutSeconds: number;
  /** After this long, a delivery pass takes no new sends; what is left stays queued for the next pass. */
  readonly deliveryBudgetSeconds: number;
  /** How long a daemon's lease lasts without a heartbeat before another daemon may take over. */
  readonly leaseSeconds: number;
  /** Where the daemon serves /healthz, /metrics and the status page; null when turned off. */
  readonly httpAddress: ListenAddress | null;
  /** Bearer token the page and /metrics accept; null for none. Secret (environment or secret file only). */
  readonly httpToken: string | null;
  /** HTTP Basic user name; set together with `httpPasswordHash`. */
  readonly httpUser: string | null;
  /** scrypt hash of the HTTP Basic password (environment or secret file only). */
  readonly httpPasswordHash: PasswordHash | null;
  /** Serve without authentication on a non-loopback address (a proxy in front authenticates). */
  readonly httpPublic: boolean;
  /** /healthz asks for the same authentication as the page (it is open by default: it says nothing about tokens). */
  readonly httpAuthHealthz: boolean;
  /** The token folder a source reads (TOKENWATCH_TOKEN_DIR); null when there is none. */
  readonly tokenDir: string | null;
  /** A source failing this many hours alerts once ("cannot read"), and once when it recovers. */
  readonly sourceStaleHours: number;
  /** Whether the VPP tokens of the token folder are checked with Apple's client/config (read-only). */
  readonly appleCheck: boolean;
  /** Microsoft Graph and the Microsoft identity platform (national clouds have their own), for the Intune source. */
  readonly graphUrl: string;
  readonly azureLoginUrl: string;
  /** Intune tenants and Jamf Pro servers to read (their client secrets are secrets). */
  readonly intuneTenants: readonly IntuneTenantSettings[];
  readonly jamfServers: readonly JamfServerSettings[];
  /** Apple's Apps and Books API base URL. */
  readonly appleVppUrl: string;
  /** Secret values to redact from every log line and error. */
  readonly secrets: readonly string[];
}

/** A TCP address to listen on; port 0 lets the system pick a free port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:9412` or `[::1]:9412`. */
export function formatAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** One named Teams Workflows webhook; its URL carries a signature and is a secret. */
export interface TeamsWebhook {
  readonly name: string;
  readonly url: string;
}

/** One signed-webhook receiver; its URL is a secret (it may carry a token), the name is what the outbox stores. */
export interface NamedWebhook {
  readonly name: string;
  readonly url: string;
}

export interface IntuneTenantSettings {
  /** `intune`, or `intune:<label>` for a tenant listed in the config file. */
  readonly name: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Secret. */
  readonly clientSecret: string;
}

export interface JamfServerSettings {
  /** `jamf`, or `jamf:<label>`. */
  readonly name: string;
  readonly url: string;
  readonly clientId: string;
  /** Secret. */
  readonly clientSecret: string;
}

export interface MdmSourceSettings {
  readonly intuneTenants: readonly IntuneTenantSettings[];
  readonly jamfServers: readonly JamfServerSettings[];
}

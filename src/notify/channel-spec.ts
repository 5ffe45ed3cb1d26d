// What a delivery channel declares to be registered (src/notify/channels.ts): its name, its slice of the
// configuration, how it is built, how doctor checks it and where its reminders go. One spec per channel file.
import type { Clock } from '../clock';
import type { ChannelSettings } from '../config';
import type { ChannelName } from '../domain/channel-name';
import type { Logger } from '../log';
import type { Channel } from './channel';

/** What every channel is built with besides its own settings. */
export interface ChannelContext {
  readonly logger: Logger;
  /**
   * The longest one message may take (TOKENWATCH_SEND_TIMEOUT_SECONDS), quick retries included; longer waits are left
   * to the outbox's backoff.
   */
  readonly timeoutMs: number;
  /** The real clock (signature timestamps); never the planning clock of `scan --at`. */
  readonly clock: Clock;
}

/** A channel that is configured: its settings are read, it can be built. */
export interface ConfiguredChannel {
  /** Builds the channel; loads its client library only now (`list` never needs them). */
  create(context: ChannelContext): Channel;
  /** Where its reminders go, for the administrator ("Slack #mdm", "email to a@example.org"). */
  readonly describe: string;
  /**
   * Recipients every reminder takes on this channel whatever its token says (each signed webhook). Channels routed
   * per token (email, Slack, Teams) leave it out: src/domain/routing.ts routes them.
   */
  readonly everyReminder?: readonly string[];
}

export interface ChannelSpec {
  readonly name: ChannelName;
  /** How doctor names its line ("smtp", "slack"). */
  readonly doctorLabel: string;
  /** doctor says nothing of it when it is not configured (newer, optional channels: Teams, signed webhooks). */
  readonly isOptional?: boolean;
  /** Configured only when no other channel is (the preview folder). */
  readonly isFallback?: boolean;
  /** What to set when test-notify finds no recipient for it. */
  readonly noRecipientHint: string;
  /** This channel's slice of the configuration, or null when the channel is not configured. */
  configure(settings: ChannelSettings): ConfiguredChannel | null;
}

// The one interface every delivery channel implements; a shared contract test runs against each.
import type { ChannelName } from '../domain/channel-name';
import type { Delivery } from '../domain/message/event';
import type { Message } from '../domain/message/message';

export type { ChannelName, Delivery };

export interface Channel {
  readonly name: ChannelName;
  /** Most reminders one digest message may carry (a bigger digest goes as several parts); unbounded when absent. */
  readonly digestMaxTokens?: number;
  /**
   * Delivers one message to one recipient (an address, a Slack channel, or for preview a label), rendering only
   * the formats this channel sends.
   * Resolves only once the server accepted it. Throws PermanentDeliveryError when retrying cannot help,
   * any other error when it may. `delivery` names the outbox rows it carries (their stable ids, for receivers that
   * dedupe: signed webhooks); the delivery pass always gives it, other callers may leave it out.
   */
  send(recipient: string, message: Message, delivery?: Delivery): Promise<void>;
  /**
   * Checks the channel can reach its server (SMTP verify, Slack auth.test), and says for `doctor` what it reached
   * (e.g. the Slack workspace and bot user); '' when there is nothing more to say.
   */
  verify(): Promise<string>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}

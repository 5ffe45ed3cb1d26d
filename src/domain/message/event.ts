// The JSON event a signed webhook receives (schema version 1, documented in docs/channels.md, "Signed webhooks"):
// what a message says as data (EventContent, one renderer on Message) joined with the outbox rows the send carries
// (Delivery: their stable delivery ids and alert keys). Pure: the delivery id is a hash of the outbox row's key,
// so every retry of a row carries the same id and receivers can drop the copies at-least-once delivery brings.
import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import { parseAlertKey, type AlertKey } from '../alert';
import type { MdmName } from '../kinds';
import type { TokenKind } from '../token';
import type { Link } from './link';
import type { Urgency } from './urgency';

/** The schema version every event carries; a change that could break a receiver increases it. */
export const EVENT_VERSION = 1;

export type EventType = 'token.reminder' | 'token.renewed' | 'token.invalid' | 'source.stale' | 'source.recovered' | 'digest' | 'test';

/** What kind of reminder an event is about (the domain's ReminderKind, spelled here: reminder.ts imports the kit). */
export type EventReminderKind = 'threshold' | 'expired' | 'renewed' | 'test';

/** A token's facts as an event gives them (never a secret: tokenwatch holds none). */
export interface EventToken {
  readonly name: string;
  readonly kind: TokenKind;
  readonly organization: string | null;
  readonly appleId: string | null;
  readonly orgGroup: string | null;
  readonly mdm: MdmName;
  /** APNs push topic; null for other kinds or when unknown. */
  readonly topic: string | null;
}

/** What a reminder says, as data. */
export interface ReminderEventFacts {
  readonly kind: EventReminderKind;
  readonly token: EventToken;
  /** The expiry instant, ISO 8601 in UTC. */
  readonly expiresAt: string;
  /** Calendar days from the day it is sent to the expiry date, in the configured zone (negative once expired). */
  readonly daysLeft: number;
  /** null for a renewal confirmation. */
  readonly urgency: Urgency | null;
  /** The renewal steps as plain text, one string per step (`Title` then its body), in order. */
  readonly steps: readonly string[];
  readonly links: readonly Link[];
}

/** What a message says as data: its subject and plain text, and its facts when it was built from them. */
export interface EventContent {
  readonly subject: string;
  readonly text: string;
  /** Absent for messages rendered without facts (source alerts, rows queued before facts were stored). */
  readonly reminder?: ReminderEventFacts;
  /** A digest's reminders, in the order the digest was given them (its rows' order). */
  readonly reminders?: readonly EventContent[];
  /** A digest sent in several parts: which one this is. */
  readonly part?: { readonly index: number; readonly count: number };
}

/** One outbox row a send carries. */
export interface DeliveryItem {
  /** Its delivery id: the same on every retry of the row. */
  readonly id: string;
  readonly alert: AlertKey;
  readonly tokenName: string;
  /** The row's expiry (for a source alert, when its failure run started). */
  readonly expiresAt: DateTime;
}

/** The outbox rows a send carries, as receivers see them. */
export interface Delivery {
  /** The message's id: its one row's, or for a digest one made of its rows' ids. */
  readonly id: string;
  /** Each row, in the order of the message's reminders. */
  readonly items: readonly DeliveryItem[];
}

/** The alert an event is about: its ledger key and what the key says (the instant of an invalid state as ISO). */
export type EventAlert = { readonly key: string; readonly kind: string } & Readonly<Record<string, string | number>>;

export interface WebhookEvent {
  readonly id: string;
  readonly type: EventType | 'message';
  readonly version: typeof EVENT_VERSION;
  readonly subject: string;
  readonly alert?: EventAlert;
  readonly token?: EventToken | { readonly name: string };
  readonly expiresAt?: string;
  readonly daysLeft?: number;
  readonly urgency?: Urgency | null;
  readonly steps?: readonly string[];
  readonly links?: readonly Link[];
  /** The source a source.stale / source.recovered event is about, and since when it failed. */
  readonly source?: string;
  readonly since?: string;
  /** A digest's reminders, each a whole event of its own (with its own id to dedupe by). */
  readonly reminders?: readonly WebhookEvent[];
  readonly part?: { readonly index: number; readonly count: number };
  /** The message as plain text (absent in a digest's reminders and in the digest itself, to keep it small). */
  readonly text?: string;
}

/** The key of an outbox row: one reminder of one token's expiry to one recipient. */
export interface DeliveryRowKey {
  readonly tokenId: number;
  readonly expiresAt: DateTime;
  readonly alert: AlertKey;
  readonly channel: string;
  readonly recipient: string;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** `dlv_<32 hex>`: the same for every retry of a row, different for every other row. */
export function deliveryId(row: DeliveryRowKey): string {
  return `dlv_${hash([row.tokenId, row.expiresAt.toMillis(), row.alert, row.channel, row.recipient].join('\n'))}`;
}

/** The delivery of `items`: one row's own id, or for a digest `dig_<32 hex>` from its rows' ids. */
export function deliveryOf(items: readonly DeliveryItem[]): Delivery {
  const only = items.length === 1 ? items[0] : undefined;
  return { id: only?.id ?? `dig_${hash([...items.map((item) => item.id)].sort().join('\n'))}`, items };
}

/** A delivery for a message no outbox row carries (test-notify): an id of its own. */
export function singleDelivery(id: string, alert: AlertKey, tokenName: string, expiresAt: DateTime): Delivery {
  return { id, items: [{ id, alert, tokenName, expiresAt }] };
}

function alertOf(key: AlertKey): EventAlert {
  const alert = parseAlertKey(key);
  if (alert === null) return { key, kind: 'unknown' };
  switch (alert.kind) {
    case 'threshold':
      return { key, kind: alert.kind, days: alert.days };
    case 'expired':
      return { key, kind: alert.kind, daysAfter: alert.daysAfter };
    case 'invalid':
      return { key, kind: alert.kind, state: alert.state, since: new Date(alert.since).toISOString() };
    case 'source-stale':
    case 'source-recovered':
      return { key, kind: alert.kind, source: alert.source };
    case 'renewed':
    case 'test':
      return { key, kind: alert.kind };
  }
}

function typeOf(alertKind: string | null, reminderKind: EventReminderKind | null): EventType | 'message' {
  switch (alertKind ?? reminderKind) {
    case 'threshold':
    case 'expired':
      return 'token.reminder';
    case 'renewed':
      return 'token.renewed';
    case 'test':
      return 'test';
    case 'invalid':
      return 'token.invalid';
    case 'source-stale':
      return 'source.stale';
    case 'source-recovered':
      return 'source.recovered';
    default:
      return 'message';
  }
}

/** One reminder's or alert's event: `content` joined with its row (`item`; absent only outside the outbox). */
function singleEvent(id: string, content: EventContent, item: DeliveryItem | undefined, isInDigest: boolean): WebhookEvent {
  const alert = item === undefined ? undefined : alertOf(item.alert);
  const type = typeOf(alert?.kind ?? null, content.reminder?.kind ?? null);
  const facts = content.reminder;
  const event: WebhookEvent = {
    id,
    type,
    version: EVENT_VERSION,
    subject: content.subject,
    ...(alert === undefined ? {} : { alert }),
    ...(facts !== undefined
      ? { token: facts.token, expiresAt: facts.expiresAt, daysLeft: facts.daysLeft, urgency: facts.urgency, steps: facts.steps, links: facts.links }
      : item === undefined || type === 'source.stale' || type === 'source.recovered'
        ? {}
        : { token: { name: item.tokenName }, expiresAt: item.expiresAt.toUTC().toISO() ?? '' }),
    ...(alert !== undefined && (type === 'source.stale' || type === 'source.recovered') && item !== undefined
      ? { source: String(alert['source']), since: item.expiresAt.toUTC().toISO() ?? '' }
      : {}),
    ...(isInDigest ? {} : { text: content.text }),
  };
  return event;
}

/** The event a send carries: `content` (Message.event()) joined with `delivery`'s rows. */
export function webhookEvent(content: EventContent, delivery: Delivery): WebhookEvent {
  if (content.reminders === undefined) return singleEvent(delivery.id, content, delivery.items[0], false);
  return {
    id: delivery.id,
    type: 'digest',
    version: EVENT_VERSION,
    subject: content.subject,
    ...(content.part === undefined ? {} : { part: content.part }),
    reminders: content.reminders.map((reminder, index) => {
      const item = delivery.items[index];
      return singleEvent(item?.id ?? `${delivery.id}_${index + 1}`, reminder, item, true);
    }),
  };
}

/** A delivery for a message sent without one (a channel used on its own): an id from what it says. */
export function contentDelivery(content: EventContent): Delivery {
  return { id: `msg_${hash(`${content.subject}\n${content.text}`)}`, items: [] };
}

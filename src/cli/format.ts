// How tokens look on the terminal and in --json output. Never includes a secret: tokens hold none.
import { DateTime } from 'luxon';
import { daysLeft, formatDateTimeCompact } from '../domain/dates';
import { MDM_LABELS, isMdmName, kindSpec } from '../domain/kinds';
import type { Token } from '../domain/token';
import { isMuted, tokenState, type TokenState } from '../domain/token-state';

export interface TokenView {
  name: string;
  kind: string;
  /** The MDM console it is uploaded to. */
  mdm: string;
  /** APNs: the push topic; null for other kinds or when unknown. */
  topic: string | null;
  orgName: string | null;
  expiresAt: string;
  expires: string;
  daysLeft: number;
  state: TokenState;
  muted: boolean;
  mutedUntil: string | null;
  appleId: string | null;
  orgGroup: string | null;
  email: readonly string[] | null;
  slackChannel: string | null;
  /** The Teams webhook's name; null for the default one. */
  teams: string | null;
  /** Escalation contacts per channel (Teams: webhook names); null for the defaults. */
  escalateEmail: readonly string[] | null;
  escalateSlack: readonly string[] | null;
  escalateTeams: readonly string[] | null;
  /** Slack user and user-group ids its Slack messages mention; null for the default ones. */
  slackMentions: readonly string[] | null;
  thresholds: readonly number[] | null;
  notes: string | null;
  fingerprint: string | null;
  /** When the token was added to the registry (a renewal does not change it). */
  addedAt: string;
  /** When the current token file was downloaded from Apple, when known. */
  downloadedAt: string | null;
  /** The token's own console page; null: TOKENWATCH_CONSOLE_URL, if set. */
  consoleUrl: string | null;
}

export function viewToken(token: Token, now: DateTime, zone: string, defaultThresholds: readonly number[]): TokenView {
  return {
    name: token.name,
    kind: token.kind,
    mdm: token.mdm,
    topic: token.topic,
    orgName: token.orgName,
    expiresAt: token.expiresAt.setZone(zone).toISO() ?? '',
    expires: formatDateTimeCompact(token.expiresAt, zone),
    daysLeft: daysLeft(token.expiresAt, now, zone),
    state: tokenState(token.expiresAt, now, zone, token.thresholds ?? defaultThresholds),
    muted: isMuted(token, now),
    mutedUntil: token.mutedUntil === null ? null : (token.mutedUntil.setZone(zone).toISO() ?? null),
    appleId: token.appleId,
    orgGroup: token.orgGroup,
    email: token.email,
    slackChannel: token.slackChannel,
    teams: token.teams,
    escalateEmail: token.escalateEmail,
    escalateSlack: token.escalateSlack,
    escalateTeams: token.escalateTeams,
    slackMentions: token.slackMentions,
    thresholds: token.thresholds,
    notes: token.notes,
    fingerprint: token.fingerprint,
    addedAt: token.addedAt.setZone(zone).toISO() ?? '',
    downloadedAt: token.downloadedAt === null ? null : (token.downloadedAt.setZone(zone).toISODate() ?? null),
    consoleUrl: token.consoleUrl,
  };
}

/** Cuts a value for a table cell and keeps it on one line. */
function cell(value: string, width: number): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** Renders rows as aligned columns under a header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], maxWidth = 40): string {
  const all = [header, ...rows].map((row) => row.map((value) => cell(value, maxWidth)));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((value, i) => value.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function tokenTable(views: readonly TokenView[], zone: string): string {
  if (views.length === 0) return 'No tokens registered. Add one with "tokenwatch import FILE" or "tokenwatch add".';
  const rows = views.map((v) => [
    v.name,
    v.kind,
    v.expiresAt.slice(0, 10),
    String(v.daysLeft),
    v.muted ? `${v.state} (muted)` : v.state,
    v.orgGroup ?? '',
  ]);
  return `${table(['NAME', 'KIND', `EXPIRES (${zone})`, 'DAYS', 'STATE', 'ORG GROUP'], rows)}`;
}

/** One line of `show`'s history: what happened, with a renewal's old and new expiry dates in `zone`. */
export function historyLine(action: string, details: Readonly<Record<string, unknown>>, zone: string): string {
  const date = (value: unknown): string =>
    typeof value === 'string' ? (DateTime.fromISO(value, { zone: 'utc' }).setZone(zone).toISODate() ?? value) : '?';
  switch (action) {
    case 'added':
      return `added: expires ${date(details['expiresAt'])}`;
    case 'renewed': {
      const forced = Array.isArray(details['forced']) && details['forced'].length > 0 ? ` (--force: ${details['forced'].join('; ')})` : '';
      return `renewed: ${date(details['previousExpiresAt'])} → ${date(details['expiresAt'])}${forced}`;
    }
    case 'muted':
      return `muted${typeof details['until'] === 'string' ? ` until ${date(details['until'])}` : ''}`;
    default:
      return action;
  }
}

/** What a token without its own recipients, contacts or thresholds gets: the configured defaults `show` names. */
export interface ShownDefaults {
  readonly mailTo: readonly string[];
  readonly slackChannel: string | null;
  readonly teamsDefault: string | null;
  readonly slackMentions: readonly string[];
  readonly escalateEmail: readonly string[];
  readonly escalateSlack: readonly string[];
  readonly escalateTeams: readonly string[];
  readonly thresholds: readonly number[];
}

/** `(default: a, b)`, or `(default: none)` when the configuration names nobody. */
function byDefault(values: readonly (string | number)[] | string | null): string {
  const list = values === null ? [] : typeof values === 'string' ? [values] : values;
  return `(default: ${list.length === 0 ? 'none' : list.join(', ')})`;
}

export function tokenDetails(view: TokenView, defaults: ShownDefaults): string {
  const lines: [string, string][] = [
    ['Name', view.name],
    ['Kind', `${kindSpec(view.kind).label} ${kindSpec(view.kind).noun} (${view.kind})`],
    ['MDM', `${MDM_LABELS[isMdmName(view.mdm) ? view.mdm : 'other']} (${view.mdm})`],
    ...(view.topic === null ? [] : ([['Push topic', view.topic]] as [string, string][])),
    ['Organization', view.orgName ?? '-'],
    ['Expires', `${view.expires} (${view.daysLeft} days left)`],
    ['State', view.muted ? `${view.state}, muted${view.mutedUntil === null ? '' : ` until ${view.mutedUntil}`}` : view.state],
    ['Apple account', view.appleId ?? '-'],
    ['Organization Group', view.orgGroup ?? '-'],
    ['Email', view.email === null ? byDefault(defaults.mailTo) : view.email.join(', ')],
    ['Slack channel', view.slackChannel ?? byDefault(defaults.slackChannel)],
    ['Teams webhook', view.teams ?? byDefault(defaults.teamsDefault)],
    ['Slack mentions', view.slackMentions === null ? byDefault(defaults.slackMentions) : view.slackMentions.join(', ')],
    ['Escalate email', view.escalateEmail === null ? byDefault(defaults.escalateEmail) : view.escalateEmail.join(', ')],
    ['Escalate Slack', view.escalateSlack === null ? byDefault(defaults.escalateSlack) : view.escalateSlack.join(', ')],
    ['Escalate Teams', view.escalateTeams === null ? byDefault(defaults.escalateTeams) : view.escalateTeams.join(', ')],
    ['Thresholds', view.thresholds === null ? byDefault(defaults.thresholds) : view.thresholds.join(', ')],
    ['Console page', view.consoleUrl ?? '(default: TOKENWATCH_CONSOLE_URL)'],
    ['Notes', view.notes ?? '-'],
    ['Fingerprint', view.fingerprint === null ? '-' : `sha256:${view.fingerprint}`],
    ['Downloaded', view.downloadedAt ?? '(unknown)'],
    ['Added', view.addedAt.slice(0, 16).replace('T', ' ')],
  ];
  return lines.map(([label, value]) => `${`${label}:`.padEnd(20)}${value.replace(/[\r\n]+/g, ' ')}`).join('\n');
}


// What the status page shows, gathered from the registry and the daemon's status at one instant. Plain data in, plain
// data out: the HTML is rendered from it by status-page.ts.
import { DateTime } from 'luxon';
import { daysLeft, formatDate } from '../domain/dates';
import { parseAlertKey, type AlertKey } from '../domain/alert';
import type { DuePolicy } from '../domain/due-reminders';
import { nextReminder } from '../domain/next-reminder';
import { TOKEN_KIND_LABELS } from '../domain/token';
import { isMuted, tokenState, type TokenState } from '../domain/token-state';
import type { RegistryStats, StateCounts } from '../store/registry-stats';
import type { HealthReport } from './health';

/** Tokens per page of the status page's table (the most urgent first): the page's size does not grow with the registry. */
export const PAGE_SIZE = 50;
/** The longest search text kept (token names are short; a longer one is cut). */
export const SEARCH_MAX_LENGTH = 100;
const RECENT_DELIVERIES = 12;

export interface TokenRowView {
  readonly name: string;
  readonly kind: string;
  readonly state: TokenState;
  readonly expires: string;
  readonly daysLeft: number;
  /** Share of the token's 12 months still ahead, 0 to 1. */
  readonly fractionLeft: number;
  readonly nextReminder: string;
  readonly lastSent: string | null;
}

export interface DeliveryView {
  readonly when: string;
  readonly token: string;
  readonly alert: string;
  readonly channel: string;
  readonly recipient: string;
  readonly isSent: boolean;
  readonly error: string | null;
}

/** Which page of the token table to show, from the query string (`?page=2&q=acme`). */
export interface PageRequest {
  /** 1-based; past the last page shows the last page. */
  readonly page: number;
  /** Only tokens whose name contains this; null for all. */
  readonly search: string | null;
}

export const FIRST_PAGE: PageRequest = { page: 1, search: null };

/** The table's place in the whole list. */
export interface PagingView {
  readonly page: number;
  readonly pageCount: number;
  /** 1-based position of the first row shown; 0 when none. */
  readonly first: number;
  readonly last: number;
  /** Tokens listed over all pages (those matching the search, if any). */
  readonly matching: number;
  readonly search: string | null;
}

export interface StatusView {
  readonly generatedAt: string;
  readonly zone: string;
  readonly health: { readonly status: string; readonly isHealthy: boolean; readonly summary: string };
  readonly counts: StateCounts;
  readonly total: number;
  readonly tokens: readonly TokenRowView[];
  readonly paging: PagingView;
  readonly recent: readonly DeliveryView[];
  /** The configured sources (token folder, Apple…): when each was last read, and its error while it fails. */
  readonly sources: readonly { readonly name: string; readonly lastSuccess: string; readonly error: string | null }[];
}

/** `t30` → "30-day reminder", `expired+7` → "expired alert (+7 days)"; a key this version does not know, as it is. */
export function alertLabel(key: AlertKey): string {
  const alert = parseAlertKey(key);
  if (alert === null) return key;
  switch (alert.kind) {
    case 'threshold':
      return `${alert.days}-day reminder`;
    case 'expired':
      return alert.daysAfter === 0 ? 'expired alert' : `expired alert (+${alert.daysAfter} days)`;
    case 'renewed':
      return 'renewal confirmation';
    case 'test':
      return 'test message';
    case 'invalid':
      return `invalid before its date (${alert.state})`;
    case 'source-stale':
      return `source ${alert.source} not read`;
    case 'source-recovered':
      return `source ${alert.source} read again`;
  }
}

const dateTime = (at: DateTime, zone: string): string => at.setZone(zone).toFormat('yyyy-MM-dd HH:mm');

/** The share of the 12 months before `expiresAt` that is still ahead at `now`. */
export function fractionOfYearLeft(expiresAt: DateTime, now: DateTime, zone: string): number {
  const start = expiresAt.setZone(zone).minus({ months: 12 });
  const span = expiresAt.toMillis() - start.toMillis();
  return Math.min(1, Math.max(0, (expiresAt.toMillis() - now.toMillis()) / span));
}

export function buildStatusView(
  stats: RegistryStats,
  health: HealthReport,
  now: DateTime,
  policy: DuePolicy,
  request: PageRequest = FIRST_PAGE,
): StatusView {
  const { zone } = policy;
  return stats.readConsistently(() => {
    const search = request.search === null || request.search === '' ? null : request.search;
    let page = Math.max(1, Math.floor(request.page));
    const firstTry = stats.tokensPage((page - 1) * PAGE_SIZE, PAGE_SIZE, search);
    const matching = firstTry.total;
    let tokens = firstTry.tokens;
    const pageCount = Math.max(1, Math.ceil(matching / PAGE_SIZE));
    if (page > pageCount) {
      page = pageCount;
      tokens = stats.tokensPage((page - 1) * PAGE_SIZE, PAGE_SIZE, search).tokens;
    }
    const first = tokens.length === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
    const paging: PagingView = { page, pageCount, first, last: first === 0 ? 0 : first + tokens.length - 1, matching, search };
    const decided = stats.decidedAlerts(tokens);
    const lastSent = stats.lastSent(tokens);
    return {
      generatedAt: dateTime(now, zone),
      zone,
      health: { status: health.body.status, isHealthy: health.statusCode === 200, summary: healthSummary(health, zone) },
      counts: stats.countByState(now, zone, policy.thresholds),
      total: search === null ? matching : stats.tokenCount(),
      paging,
      tokens: tokens.map((token) => {
        const next = nextReminder(token, decided.get(token.id) ?? new Set(), now, policy);
        const sent = lastSent.get(token.id);
        let nextText: string;
        if (isMuted(token, now)) nextText = token.mutedUntil === null ? 'muted' : `muted until ${formatDate(token.mutedUntil, zone)}`;
        else if (next === null) nextText = 'none';
        else nextText = `${alertLabel(next.alert)} ${next.isDueNow ? 'at the next scan' : `on ${formatDate(next.dueAt, zone)}`}`;
        return {
          name: token.name,
          kind: TOKEN_KIND_LABELS[token.kind],
          state: tokenState(token.expiresAt, now, zone, token.thresholds ?? policy.thresholds),
          expires: formatDate(token.expiresAt, zone),
          daysLeft: daysLeft(token.expiresAt, now, zone),
          fractionLeft: fractionOfYearLeft(token.expiresAt, now, zone),
          nextReminder: nextText,
          lastSent: sent === undefined ? null : `${alertLabel(sent.alert)}, ${formatDate(sent.at, zone)} (${sent.channel})`,
        };
      }),
      sources: health.body.sources.map((source) => ({
        name: source.name,
        lastSuccess: source.lastSuccessAt === null ? 'never' : dateTime(DateTime.fromISO(source.lastSuccessAt, { setZone: true }), zone),
        error: source.failingSince === null ? null : `failing since ${dateTime(DateTime.fromISO(source.failingSince, { setZone: true }), zone)}: ${source.lastError ?? ''}`,
      })),
      recent: stats.recentDeliveries(RECENT_DELIVERIES).map((d) => ({
        when: dateTime(d.at, zone),
        token: d.tokenName,
        alert: alertLabel(d.alert),
        channel: d.channel,
        recipient: d.recipient,
        isSent: d.status === 'sent',
        error: d.lastError,
      })),
    };
  });
}

function healthSummary(health: HealthReport, zone: string): string {
  const body = health.body;
  const at = (iso: string | null): string => (iso === null ? 'none yet' : iso.slice(0, 16).replace('T', ' '));
  const parts: string[] = [];
  switch (body.status) {
    case 'ok':
      parts.push('Sending: this daemon holds the lease');
      break;
    case 'standby':
      parts.push('Standby: another daemon sends for this database');
      break;
    case 'starting':
      parts.push('Starting');
      break;
    case 'database-unavailable':
      parts.push(`Database unavailable: ${body.database.error ?? 'unknown error'}`);
      break;
    case 'scan-failed':
      parts.push(`Last scan failed: ${body.lastScan?.error ?? 'unknown error'}`);
      break;
    case 'scan-overdue':
      parts.push('A scheduled scan is overdue');
      break;
  }
  if (body.lastScan !== null) parts.push(`last scan ${at(body.lastScan.startedAt)} (${body.lastScan.result}, ${body.lastScan.durationSeconds.toFixed(1)} s)`);
  if (body.nextScanAt !== null) parts.push(`next scan ${at(body.nextScanAt)}`);
  return `${parts.join(' · ')} (${zone})`;
}

// How urgent a message is, its words, and the colours every surface shows it with (email band, status page badge,
// Slack emoji), so that "critical" looks the same wherever an administrator meets it. Pure.
import type { TokenState } from '../token-state';

/** 60 days: plan; 30 down to 8: act; 7 or fewer: urgent; past the expiry: expired. */
export type Urgency = 'plan' | 'act' | 'urgent' | 'expired';

/** The urgency of a reminder sent at `threshold` days (a test or a digest row passes its days left). */
export function urgencyOf(threshold: number): Urgency {
  if (threshold > 30) return 'plan';
  if (threshold > 7) return 'act';
  return 'urgent';
}

export const URGENCY_LABELS: Readonly<Record<Urgency, string>> = { expired: 'Expired', urgent: 'Urgent', act: 'Act now', plan: 'Plan' };

/** Most urgent first. */
export const URGENCY_ORDER: readonly Urgency[] = ['expired', 'urgent', 'act', 'plan'];

/** The status page's state an urgency looks like: plan and act are "warning", urgent "critical". */
export const URGENCY_STATES: Readonly<Record<Urgency, Exclude<TokenState, 'ok'>>> = {
  plan: 'warning',
  act: 'warning',
  urgent: 'critical',
  expired: 'expired',
};

/**
 * One colour per state, shared by the status page and the emails. Each is dark enough for white text on it
 * (contrast >= 4.5:1) and light enough to stand out on a dark background, so a band keeps its meaning when a mail
 * client switches to dark mode.
 */
export const STATE_COLOURS: Readonly<Record<TokenState, string>> = {
  ok: '#1a7f37',
  warning: '#b35900',
  critical: '#cf222e',
  expired: '#6e7781',
};

export const STATE_LABELS: Readonly<Record<TokenState, string>> = { ok: 'OK', warning: 'Warning', critical: 'Critical', expired: 'Expired' };

/** Slack has no colours outside attachments: an emoji per urgency leads each line instead. */
export const URGENCY_EMOJI: Readonly<Record<Urgency, string>> = {
  expired: ':black_circle:',
  urgent: ':red_circle:',
  act: ':large_orange_circle:',
  plan: ':large_yellow_circle:',
};

/** `30 days left`, `1 day left`, `expires today`, `expired today`, `expired 3 days ago`. */
export function daysPhrase(days: number, isExpired = days < 0): string {
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return isExpired ? 'expired today' : 'expires today';
  return days === -1 ? 'expired 1 day ago' : `expired ${-days} days ago`;
}

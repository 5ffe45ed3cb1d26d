// Slack's date formatting for an instant: each reader sees it in their own zone, with our text as the fallback. Pure.
import type { DateTime } from 'luxon';
import { formatDateTime } from './dates';

/**
 * `<!date^1799996400^{date_long_pretty} at {time}|Friday 15 January 2027, 09:00 CET (Europe/Paris)>`.
 * Slack shows the instant in each reader's own zone; clients that cannot (notifications, old apps, other
 * Slack-compatible servers) show the fallback, the configured-zone text. Built only from the instant and the zone
 * (an IANA name: letters, digits, `/`, `_`, `+`, `-`), so it never carries a user value; the fallback is still made
 * safe in case a zone name ever holds one of Slack's reserved characters (`&`, `<`, `>`, `|`).
 */
export function slackDate(instant: DateTime, zone: string): string {
  const seconds = Math.floor(instant.toSeconds());
  const fallback = formatDateTime(instant, zone).replace(/[&<>|]/g, ' ');
  return `<!date^${seconds}^{date_long_pretty} at {time}|${fallback}>`;
}

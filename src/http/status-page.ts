// GET /: the read-only status page, rendered on the server as one HTML string with inline CSS. No script, no build
// step, nothing loaded from elsewhere. Every value is escaped: token names and errors may hold markup.
import { escapeHtml } from '../domain/message/escape';
import { STATE_COLOURS, STATE_LABELS, daysPhrase } from '../domain/message/urgency';
import type { TokenState } from '../domain/token-state';
import { PAGER_CSS, renderPager, renderSearchForm } from './status-pager';
import type { DeliveryView, StatusView, TokenRowView } from './status-view';

const STATES: readonly TokenState[] = ['expired', 'critical', 'warning', 'ok'];

const CSS = `
:root { color-scheme: light; --ok: ${STATE_COLOURS.ok}; --warning: ${STATE_COLOURS.warning}; --critical: ${STATE_COLOURS.critical}; --expired: ${STATE_COLOURS.expired}; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #f6f8fa; }
header { background: #24292f; color: #fff; padding: 16px 32px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header .health { font-size: 13px; padding: 2px 10px; border-radius: 999px; font-weight: 600; }
header .health.good { background: #2da44e; }
header .health.bad { background: #cf222e; }
header .summary { color: #d0d7de; font-size: 13px; }
main { padding: 24px 32px 40px; max-width: 1280px; }
.counts { display: flex; gap: 12px; margin: 0 0 20px; padding: 0; list-style: none; flex-wrap: wrap; }
.counts li { background: #fff; border: 1px solid var(--line); border-left: 6px solid; border-radius: 6px; padding: 8px 16px; min-width: 120px; }
.counts li strong { display: block; font-size: 22px; }
.counts .state-ok { border-left-color: var(--ok); } .counts .state-warning { border-left-color: var(--warning); }
.counts .state-critical { border-left-color: var(--critical); } .counts .state-expired { border-left-color: var(--expired); }
h2 { font-size: 16px; margin: 28px 0 8px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { background: #f6f8fa; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
tr:last-child td { border-bottom: none; }
td.name { font-weight: 600; overflow-wrap: anywhere; max-width: 320px; }
td.name .kind { font-weight: 400; color: var(--muted); font-size: 12px; margin-left: 6px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.state-ok { background: var(--ok); } .badge.state-warning { background: var(--warning); }
.badge.state-critical { background: var(--critical); } .badge.state-expired { background: var(--expired); }
.bar { width: 220px; height: 12px; background: #eaeef2; border-radius: 6px; overflow: hidden; }
.bar .fill { display: block; height: 100%; border-radius: 6px; }
.fill.state-ok { background: var(--ok); } .fill.state-warning { background: var(--warning); }
.fill.state-critical { background: var(--critical); } .fill.state-expired { background: var(--expired); }
.left { font-size: 12px; color: var(--muted); margin-top: 2px; }
.muted-text { color: var(--muted); }
.failed { color: var(--critical); font-weight: 600; }
table.recent td { white-space: nowrap; }
table.recent td.outcome { white-space: normal; }
footer { color: var(--muted); font-size: 12px; margin-top: 20px; }
`;

function tokenRow(token: TokenRowView): string {
  const percent = (token.fractionLeft * 100).toFixed(1);
  const state = escapeHtml(token.state);
  return `<tr class="token">
<td class="name">${escapeHtml(token.name)}<span class="kind">${escapeHtml(token.kind)}</span></td>
<td><span class="badge state-${state}">${escapeHtml(STATE_LABELS[token.state])}</span></td>
<td><div class="bar" role="img" aria-label="${escapeHtml(`${percent}% of 12 months left`)}"><span class="fill state-${state}" style="width: ${percent}%"></span></div>
<div class="left">${escapeHtml(daysPhrase(token.daysLeft))}</div></td>
<td>${escapeHtml(token.expires)}</td>
<td>${escapeHtml(token.nextReminder)}</td>
<td>${token.lastSent === null ? '<span class="muted-text">none yet</span>' : escapeHtml(token.lastSent)}</td>
</tr>`;
}

function deliveryRow(delivery: DeliveryView): string {
  const outcome = delivery.isSent ? 'sent' : `<span class="failed">failed</span>${delivery.error === null ? '' : `: ${escapeHtml(delivery.error)}`}`;
  return `<tr class="delivery"><td>${escapeHtml(delivery.when)}</td><td>${escapeHtml(delivery.token)}</td><td>${escapeHtml(delivery.alert)}</td>
<td>${escapeHtml(delivery.channel)}</td><td>${escapeHtml(delivery.recipient)}</td><td class="outcome">${outcome}</td></tr>`;
}

/** The sources table, or nothing when no source is configured. */
function sourcesSection(view: StatusView): string {
  if (view.sources.length === 0) return '';
  const rows = view.sources.map(
    (source) =>
      `<tr class="source"><td>${escapeHtml(source.name)}</td><td>${escapeHtml(source.lastSuccess)}</td><td class="outcome">${
        source.error === null ? 'ok' : `<span class="failed">${escapeHtml(source.error)}</span>`
      }</td></tr>`,
  );
  return `<h2>Sources</h2>
<table class="recent">
<thead><tr><th>Source</th><th>Last read</th><th>State</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
`;
}

export function renderStatusPage(view: StatusView): string {
  const counts = STATES.map(
    (state) => `<li class="state-${state}"><strong>${view.counts[state]}</strong>${escapeHtml(STATE_LABELS[state])}</li>`,
  ).join('\n');
  const empty =
    view.paging.search === null
      ? 'No tokens registered yet: add them with <code>tokenwatch import FILE.vpptoken</code>.'
      : 'No token name contains this text.';
  const tokens = view.tokens.length === 0 ? `<tr><td colspan="6" class="muted-text">${empty}</td></tr>` : view.tokens.map(tokenRow).join('\n');
  const recent =
    view.recent.length === 0
      ? '<tr><td colspan="6" class="muted-text">No reminders sent yet.</td></tr>'
      : view.recent.map(deliveryRow).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tokenwatch status</title>
<style>${CSS}${PAGER_CSS}</style>
</head>
<body>
<header>
<h1>tokenwatch</h1>
<span class="health ${view.health.isHealthy ? 'good' : 'bad'}">${view.health.isHealthy ? 'healthy' : 'unhealthy'}</span>
<span class="summary">${escapeHtml(view.health.summary)}</span>
</header>
<main>
<ul class="counts" aria-label="Tokens per state">
${counts}
</ul>
<h2>Tokens</h2>
${renderSearchForm(view.paging)}
<table class="tokens">
<thead><tr><th>Token</th><th>State</th><th>Time left of 12 months</th><th>Expires</th><th>Next reminder</th><th>Last reminder sent</th></tr></thead>
<tbody>
${tokens}
</tbody>
</table>
${renderPager(view.paging)}
<h2>Last reminders</h2>
<table class="recent">
<thead><tr><th>When</th><th>Token</th><th>Reminder</th><th>Channel</th><th>Recipient</th><th>Outcome</th></tr></thead>
<tbody>
${recent}
</tbody>
</table>
${sourcesSection(view)}<footer>Read-only. Generated ${escapeHtml(view.generatedAt)} (${escapeHtml(view.zone)}). <code>tokenwatch list</code> shows every token.</footer>
</main>
</body>
</html>
`;
}

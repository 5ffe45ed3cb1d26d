// Escaping and cutting of user values for each format a message is written in (HTML, Slack mrkdwn). Pure.

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe inside HTML elements and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Slack's reserved characters: escaped, `<!channel>` or `<http://x|y>` in user text cannot ping or link. */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Cuts `value` so that `escape(cut value)` fits in `max`, never splitting an entity or a character. */
export function cutEscaped(value: string, max: number, escape: (text: string) => string): string {
  const whole = escape(value);
  if (whole.length <= max) return whole;
  let kept = '';
  for (const char of value) {
    const next = escape(char);
    if (kept.length + next.length + 1 > max) break;
    kept += next;
  }
  return `${kept}…`;
}

/** Cuts `value` to at most `max` UTF-16 units, ending with "…", never splitting a character. */
export function cut(value: string, max: number): string {
  return cutEscaped(value, max, (text) => text);
}

/** `1 day`, `3 days`. */
export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

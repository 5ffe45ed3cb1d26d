// What the outgoing HTTP calls share, below both their users (the channels in src/notify and the sources in
// src/sources, which never import each other): reading a server's Retry-After.
// https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3: `Retry-After = HTTP-date / delay-seconds`.

/** Retry-After as seconds from `nowMs`: a number of seconds, or an HTTP date (never negative); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

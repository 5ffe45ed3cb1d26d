// The small error hierarchy: what kind of failure decides the exit code and whether a delivery is retried.

/** Bad input from the administrator: a broken token file, a bad date, an unknown name, a bad config value. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A delivery the server refused for good (e.g. Slack `channel_not_found`): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** A delivery the server asked us to retry no sooner than `retryAfterSeconds` (e.g. Slack 429 with Retry-After). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Turns anything thrown into an Error, keeping the original as `cause`. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(String(thrown), { cause: thrown });
}

/** The `code` of a thrown value (`ENOENT`, `SQLITE_BUSY`…), if it has one. */
export function errorCode(thrown: unknown): string | undefined {
  const code = typeof thrown === 'object' && thrown !== null ? (thrown as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The first line of an error's message: what the administrator sees. */
export function oneLine(error: unknown): string {
  const message = coerceError(error).message;
  return message.split(/\r?\n/)[0] ?? message;
}

/** The first line of a text, trimmed: what a server's or library's multi-line message says first. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]?.trim() ?? text;
}

/** A user-supplied value for an error message: quoted, control characters escaped, cut to `max` characters. */
export function quoted(value: string, max = 60): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

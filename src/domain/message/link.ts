// A link a message offers as a button, and the check that keeps it http(s). Pure.

/** A link a message offers as a button: the Apple portal, the MDM console. `url` is http(s) only (see safeUrl). */
export interface Link {
  readonly label: string;
  readonly url: string;
}

/** `url` when it is an absolute http(s) URL, else null: a message never links to javascript:, data: or a relative path. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

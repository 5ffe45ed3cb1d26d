// Does the sender address (TOKENWATCH_MAIL_FROM) look deliverable? Many relays refuse a MAIL FROM whose domain cannot
// exist on the Internet (RFC 5321 4.1.2 wants a domain that resolves; RFC 6761 and RFC 6762 reserve localhost, .local
// and friends for local use only). Pure: a warning for `doctor`, never a refusal.

/** Suffixes of names that exist only on a local network or host. */
const LOCAL_ONLY = ['localhost', '.localhost', '.local', '.localdomain', '.lan', '.home', '.internal', '.home.arpa', '.invalid', '.test', '.example'];

/** The address part of `Name <address>` or of a bare address. */
export function senderAddress(from: string): string {
  const open = from.lastIndexOf('<');
  const close = from.lastIndexOf('>');
  return (open >= 0 && close > open ? from.slice(open + 1, close) : from).trim();
}

/** Why `from` looks undeliverable, as one clause; null when it looks fine. */
export function undeliverableSender(from: string): string | null {
  const address = senderAddress(from);
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return `"${address}" is not an email address`;
  const domain = address.slice(at + 1).toLowerCase();
  if (/^\[.*\]$/.test(domain) || /^\d{1,3}(\.\d{1,3}){3}$/.test(domain)) return `its domain ${domain} is an IP address`;
  if (LOCAL_ONLY.some((suffix) => domain === suffix.replace(/^\./, '') || domain.endsWith(suffix))) {
    return `its domain ${domain} exists only on a local network`;
  }
  if (!domain.includes('.')) return `its domain ${domain} is a bare host name, not a mail domain`;
  return null;
}

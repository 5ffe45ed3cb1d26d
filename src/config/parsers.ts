// The value parsers of the settings table: each turns one raw string (from the environment, the config file or a
// secret file) into a typed value, or throws one InputError naming `where` and what was expected.
import { InputError, quoted } from '../errors';
import { hasControlCharacter, isEmailAddress, parseTeamsWebhookName } from '../domain/token-fields';
import type { ListenAddress, TeamsWebhook } from './config';

export function wholeNumber(min: number, max: number) {
  return (value: string, where: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
      throw new InputError(`${where}: ${quoted(value)} is not valid (expected a whole number from ${min} to ${max})`);
    }
    return Number(value);
  };
}

/**
 * The sender of reminder emails: `address` or `Name <address>`, one line (a line break would let the value add
 * headers such as Bcc), with a real address (without one the mail has no From header).
 */
export function mailFrom(value: string, where: string): string {
  const text = value.trim();
  const expected = 'expected an email address, or a name and an address such as "tokenwatch <tokenwatch@example.com>"';
  if (hasControlCharacter(text)) throw new InputError(`${where}: ${quoted(text)} contains a line break or control character (${expected})`);
  const match = /^(?:[^<>]*<([^<>]+)>|([^<>\s]+))$/.exec(text);
  const address = match?.[1] ?? match?.[2];
  if (address === undefined || !isEmailAddress(address.trim())) throw new InputError(`${where}: ${quoted(text)} is not an email address (${expected})`);
  return text;
}

export function nonEmpty(value: string, where: string): string {
  if (value.trim() === '') throw new InputError(`${where}: is empty (expected a value)`);
  return value.trim();
}

export function httpUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${where}: ${quoted(value)} is not a URL (expected e.g. https://slack.com/api/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${where}: ${quoted(value)} is not an http(s) URL (expected e.g. https://slack.com/api/)`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** An http(s) address of a page (the console), kept as given: unlike an API base, no slash is added. */
export function pageUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(`${where}: ${quoted(value)} is not a URL (expected e.g. https://uem.example.com/AirWatch)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${where}: ${quoted(value)} is not an http(s) URL (expected e.g. https://uem.example.com/AirWatch)`);
  }
  return url.href;
}

export function smtpUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${where}: not a URL (expected smtp://user:password@host:587 or smtps://host:465)`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new InputError(`${where}: scheme ${quoted(url.protocol)} is not supported (expected smtp:// or smtps://)`);
  }
  return value.trim();
}

/**
 * `HOST:PORT` (`127.0.0.1:9412`, `0.0.0.0:9412`, `[::1]:9412`, `localhost:9412`) or `off`. No scheme, no path:
 * this is where the daemon's own HTTP server listens.
 */
export function parseListenAddress(value: string, where: string): ListenAddress | null {
  const text = value.trim();
  if (text.toLowerCase() === 'off') return null;
  const expected = '(expected HOST:PORT such as 127.0.0.1:9412, [::1]:9412 or 0.0.0.0:9412, or "off")';
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  const isIpv6 = match?.[1] !== undefined;
  const isHostValid = host !== undefined && (isIpv6 ? host.includes(':') : /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host));
  if (match === null || host === undefined || !isHostValid || !Number.isInteger(port) || port > 65535) {
    throw new InputError(`${where}: ${quoted(value)} is not a listen address ${expected}`);
  }
  return { host, port };
}

export function yesNo(value: string, where: string): boolean {
  const text = value.trim().toLowerCase();
  if (['yes', 'true', '1'].includes(text)) return true;
  if (['no', 'false', '0'].includes(text)) return false;
  throw new InputError(`${where}: ${quoted(value)} is not valid (expected yes or no)`);
}

export function onOff(value: string, where: string): boolean {
  const text = value.trim().toLowerCase();
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new InputError(`${where}: ${quoted(value)} is not valid (expected on or off)`);
}

export function httpToken(value: string, where: string): string {
  const token = value.trim();
  // RFC 6750 §2.1 b64token characters, so that clients can send it as `Authorization: Bearer <token>` unchanged.
  if (token.length < 16 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new InputError(`${where}: not a usable bearer token (expected at least 16 characters of A-Z a-z 0-9 - . _ ~ + /, e.g. from "openssl rand -hex 32")`);
  }
  return token;
}

export function httpUser(value: string, where: string): string {
  const user = value.trim();
  if (user === '' || user.includes(':') || /[\u0000-\u001f]/.test(user)) {
    throw new InputError(`${where}: ${quoted(value)} is not a usable user name (expected a non-empty name without ":")`);
  }
  return user;
}

/** A webhook name: letters, digits, `-` and `_`, as tokens name it (`--teams mdm`); one rule, in domain/token-fields.ts. */
export const teamsWebhookName = parseTeamsWebhookName;

/**
 * `mdm=https://…,ops=https://…` (commas or new lines between entries). The URLs are never quoted in an error:
 * each carries the signature that lets anyone post to the channel.
 */
export function parseTeamsWebhooks(value: string, where: string): TeamsWebhook[] {
  const webhooks: TeamsWebhook[] = [];
  const entries = value.split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new InputError(`${where}: is empty (expected name=https://… entries, e.g. mdm=https://…)`);
  for (const [index, entry] of entries.entries()) {
    const equals = entry.indexOf('=');
    // An entry without `name=` starts with the URL itself (whose query has `=` too): never quote it.
    if (equals <= 0 || /[:/?]/.test(entry.slice(0, equals))) {
      throw new InputError(`${where}: entry ${index + 1} has no name (expected name=https://…, e.g. mdm=https://…)`);
    }
    const name = teamsWebhookName(entry.slice(0, equals), `${where}: entry ${index + 1}`);
    let url: URL | null;
    try {
      url = new URL(entry.slice(equals + 1).trim());
    } catch {
      url = null;
    }
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new InputError(`${where}: the URL of ${quoted(name)} is not an http(s) URL (expected name=https://…)`);
    }
    if (webhooks.some((webhook) => webhook.name === name)) throw new InputError(`${where}: ${quoted(name)} is named twice (expected each name once)`);
    webhooks.push({ name, url: url.href });
  }
  return webhooks;
}

/** An http(s) base URL (an MDM server, Microsoft Graph), with a slash added so that paths resolve below it. */
export function httpsUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(`${where}: ${quoted(value)} is not a URL (expected e.g. https://acme.jamfcloud.com/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${where}: ${quoted(value)} is not an http(s) URL (expected e.g. https://acme.jamfcloud.com/)`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

// Secure by default: who could reach the HTTP edge, and whether the daemon may start that way. Pure: the address and
// the settings in, a decision out. `tokenwatch daemon` refuses a refused exposure (exit 2); `doctor` shows it.
import net from 'node:net';
import { formatAddress, type Config, type ListenAddress } from '../config';
import { InputError } from '../errors';
import { hasAuth, type HttpAuth } from './auth';

export interface HttpAccess {
  readonly auth: HttpAuth;
  /** TOKENWATCH_HTTP_PUBLIC=yes: serve without authentication on any address (a proxy in front authenticates). */
  readonly isPublic: boolean;
  /** TOKENWATCH_HTTP_AUTH_HEALTHZ=yes: /healthz asks for the same authentication as the page. */
  readonly isHealthzProtected: boolean;
}

export const OPEN_ACCESS: HttpAccess = { auth: { bearerToken: null, basic: null }, isPublic: false, isHealthzProtected: false };

/** The HTTP edge's access settings out of its slice of the validated configuration. */
export function httpAccessOf(
  config: Pick<Config, 'httpToken' | 'httpUser' | 'httpPasswordHash' | 'httpPublic' | 'httpAuthHealthz'>,
): HttpAccess {
  return {
    auth: {
      bearerToken: config.httpToken,
      basic: config.httpUser === null || config.httpPasswordHash === null ? null : { user: config.httpUser, passwordHash: config.httpPasswordHash },
    },
    isPublic: config.httpPublic,
    isHealthzProtected: config.httpAuthHealthz,
  };
}

export type Exposure =
  | { readonly kind: 'loopback' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'public' }
  | { readonly kind: 'refused'; readonly reason: string };

/** 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) and `localhost`; `0.0.0.0`, `::` and every other name are not. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === 'localhost') return true;
  if (net.isIPv4(lower)) return lower.startsWith('127.');
  if (net.isIPv6(lower)) {
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
    return mapped !== undefined && mapped.startsWith('127.');
  }
  return false;
}

export function exposureOf(address: ListenAddress, access: HttpAccess): Exposure {
  if (hasAuth(access.auth)) return { kind: 'authenticated' };
  if (isLoopbackHost(address.host)) return { kind: 'loopback' };
  if (access.isPublic) return { kind: 'public' };
  return {
    kind: 'refused',
    reason:
      `TOKENWATCH_HTTP: ${formatAddress(address)} is reachable from other machines and the status page and /metrics have no ` +
      'authentication (expected TOKENWATCH_HTTP_TOKEN or TOKENWATCH_HTTP_USER with TOKENWATCH_HTTP_PASSWORD_HASH, ' +
      'a loopback address such as 127.0.0.1:9412, or TOKENWATCH_HTTP_PUBLIC=yes behind a proxy that authenticates)',
  };
}

/** Throws the refusal as an InputError (one line, exit 2). */
export function assertExposureAllowed(address: ListenAddress, access: HttpAccess): Exposure {
  const exposure = exposureOf(address, access);
  if (exposure.kind === 'refused') throw new InputError(exposure.reason);
  return exposure;
}

/** One line for `doctor`: where the edge listens, who may read it and why that is allowed. */
export function describeExposure(address: ListenAddress | null, access: HttpAccess): { isRefused: boolean; text: string } {
  if (address === null) return { isRefused: false, text: 'off (TOKENWATCH_HTTP=off)' };
  const where = formatAddress(address);
  const schemes = [access.auth.bearerToken === null ? null : 'bearer token', access.auth.basic === null ? null : `Basic (user ${access.auth.basic.user})`];
  const healthz = access.isHealthzProtected ? '/healthz too' : '/healthz open';
  const exposure = exposureOf(address, access);
  switch (exposure.kind) {
    case 'authenticated':
      return { isRefused: false, text: `${where}, authentication: ${schemes.filter((s) => s !== null).join(' or ')} (${healthz})` };
    case 'loopback':
      return { isRefused: false, text: `${where}, loopback only, no authentication` };
    case 'public':
      return { isRefused: false, text: `${where}, no authentication, public by choice (TOKENWATCH_HTTP_PUBLIC=yes)` };
    case 'refused':
      return { isRefused: true, text: `${exposure.reason}; the daemon refuses to start` };
  }
}

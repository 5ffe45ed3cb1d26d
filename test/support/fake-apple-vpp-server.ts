// A local stand-in for Apple's Apps and Books for Organizations API (v2), 127.0.0.1 only, speaking what Apple
// documents for client/config:
// - GET /mdm/v2/client/config with `Authorization: Bearer <sToken>` ("Client Config: Read client-specific information
//   from the server", https://developer.apple.com/documentation/devicemanagement/client-config-71glv): HTTP 200 with a
//   ClientConfigResponse JSON such as {"countryISO2ACode":"US","defaultPlatform":"volumestore","locationName":"PS01",
//   "mdmInfo":{…},"notificationAuthToken":"…","tokenExpirationDate":"2030-11-08T22:33:22+0000","uId":"2049025000431439",…}.
// - For a token Apple does not accept, still HTTP 200, with an ErrorResponse
//   (https://developer.apple.com/documentation/devicemanagement/errorresponse): {"errorNumber":9622,
//   "errorMessage":"Invalid authentication token"}.
// - POST /mdm/v2/client/config (https://developer.apple.com/documentation/devicemanagement/client-config-4szk1) would
//   overwrite mdmInfo: the fake records every request so tests can prove none is ever sent.
// - Throttling and outages: 503 (optionally with Retry-After) and a server that answers too slowly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AppleLocation {
  readonly uId: string;
  readonly locationName: string;
  readonly countryISO2ACode: string;
  /** Apple's format, e.g. 2030-11-08T22:33:22+0000; omitted from the answer when undefined. */
  readonly tokenExpirationDate?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
}

export interface FakeAppleServer {
  /** Base URL as TOKENWATCH_APPLE_VPP_URL takes it: http://127.0.0.1:PORT/mdm/v2/ */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Which location an sToken belongs to. */
  addToken(sToken: string, location: AppleLocation): void;
  /** Apple stops accepting this sToken: it answers errorNumber 9622 from now on. */
  invalidate(sToken: string): void;
  /** The next `count` requests get 503 (with `Retry-After: retryAfter` when given). */
  failNext(count: number, retryAfter?: string): void;
  /** Every request waits this long before answering. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeAppleServer(): Promise<FakeAppleServer> {
  const tokens = new Map<string, AppleLocation>();
  const invalid = new Set<string>();
  const requests: RecordedRequest[] = [];
  let failures: { count: number; retryAfter: string | undefined } = { count: 0, retryAfter: undefined };
  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const authorization = req.headers.authorization ?? null;
    requests.push({ method: req.method ?? '', path, authorization });
    req.resume();
    const answer = (): void => {
      if (res.destroyed) return;
      if (failures.count > 0) {
        failures.count -= 1;
        json(res, 503, { errorNumber: 9603, errorMessage: 'Service unavailable' }, failures.retryAfter === undefined ? {} : { 'retry-after': failures.retryAfter });
        return;
      }
      if (path !== '/mdm/v2/client/config') return json(res, 404, { errorMessage: 'not found' });
      if (req.method !== 'GET') return json(res, 405, { errorMessage: 'the fake takes only GET: a POST would overwrite mdmInfo' });
      const sToken = authorization?.startsWith('Bearer ') === true ? authorization.slice('Bearer '.length) : null;
      const location = sToken === null ? undefined : tokens.get(sToken);
      if (sToken === null || location === undefined || invalid.has(sToken)) {
        // Apple's way: HTTP 200 with the error in the body.
        return json(res, 200, { errorNumber: 9622, errorMessage: 'Invalid authentication token' });
      }
      json(res, 200, {
        countryISO2ACode: location.countryISO2ACode,
        defaultPlatform: 'volumestore',
        locationName: location.locationName,
        mdmInfo: { id: '522d5c43-44ca-4f7e-ba7a-53570cf60765', name: 'Some MDM', metadata: '1.0' },
        notificationAuthToken: 'notification-auth-secret-from-apple',
        notificationUrl: 'https://mdm.example.test/notification',
        subscribedNotificationTypes: ['ASSET_MANAGEMENT'],
        ...(location.tokenExpirationDate === undefined ? {} : { tokenExpirationDate: location.tokenExpirationDate }),
        uId: location.uId,
        websiteURL: 'https://business.apple.com',
      });
    };
    if (fake.delayMs > 0) setTimeout(answer, fake.delayMs).unref();
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeAppleServer = {
    baseUrl: `http://127.0.0.1:${port}/mdm/v2/`,
    requests,
    delayMs: 0,
    addToken: (sToken, location) => {
      tokens.set(sToken, location);
    },
    invalidate: (sToken) => {
      invalid.add(sToken);
    },
    failNext: (count, retryAfter) => {
      failures = { count, retryAfter };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

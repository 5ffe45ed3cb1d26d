// A local receiver of tokenwatch's signed webhooks, on 127.0.0.1, for tests: it verifies each request as
// docs/channels.md tells receivers to, and as Stripe tells its users to verify Stripe's webhooks
// (https://docs.stripe.com/webhooks#verify-manually): split the signature header on "," and each element on "=",
// take `t` and every `v1`; compute HMAC-SHA256 of "<t>.<raw body>" with the shared secret, in hex; compare in
// constant time against each v1; refuse a timestamp more than 300 s (Stripe's default tolerance, stripe-node's
// DEFAULT_TOLERANCE) from the receiver's clock; answer 400 to anything that fails, 2xx once the event is taken.
// Deduplicates on the delivery id (the id header, which must equal the body's `id`), as a receiver of at-least-once
// delivery does. Answers can be scripted (429 with Retry-After, 410, 5xx, a hang) through `server.script`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startJsonHttpServer, type JsonHttpServer, type RecordedRequest } from './json-http-server';

export const RECEIVER_SECRET = 'whsec-test-0123456789abcdef';
export const TOLERANCE_SECONDS = 300;

/** One event the receiver took, parsed. */
export interface ReceivedEvent {
  readonly request: RecordedRequest;
  readonly deliveryId: string;
  readonly body: Record<string, unknown>;
}

export interface FakeWebhookReceiver {
  /** The webhook URL: `http://127.0.0.1:PORT/hooks/tokenwatch`. */
  readonly url: string;
  readonly server: JsonHttpServer;
  /** Every verified event, once per delivery id. */
  events(): ReceivedEvent[];
  /** Verified requests whose delivery id had been taken already. */
  duplicates(): number;
  /** Why each refused request was refused. */
  rejections(): string[];
  close(): Promise<void>;
}

/** Why `request` does not verify with `secret` at `nowSeconds`, or null when it does. */
export function signatureProblem(request: RecordedRequest, secret: string, nowSeconds: number): string | null {
  const header = request.headers['tokenwatch-signature'];
  if (typeof header !== 'string') return 'no Tokenwatch-Signature header';
  const elements = header.split(',').map((element) => element.split('='));
  const timestamp = elements.find(([key]) => key === 't')?.[1];
  const signatures = elements.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return 'no timestamp in the signature header';
  if (signatures.length === 0) return 'no v1 signature in the signature header';
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return 'timestamp outside the tolerance';
  const expected = createHmac('sha256', secret).update(`${timestamp}.${request.body}`, 'utf8').digest();
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? null : 'signature mismatch';
}

export async function startFakeWebhookReceiver(options: { secret?: string; nowSeconds?: () => number } = {}): Promise<FakeWebhookReceiver> {
  const secret = options.secret ?? RECEIVER_SECRET;
  const nowSeconds = options.nowSeconds ?? ((): number => Math.floor(Date.now() / 1000));
  const taken = new Map<string, ReceivedEvent>();
  const rejected: string[] = [];
  let duplicates = 0;
  const server = await startJsonHttpServer((request, url) => {
    if (request.method !== 'POST' || url.pathname !== '/hooks/tokenwatch') return null;
    const refuse = (reason: string): { status: number; body: unknown } => {
      rejected.push(reason);
      return { status: 400, body: { error: reason } };
    };
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return refuse('content-type is not application/json');
    const problem = signatureProblem(request, secret, nowSeconds());
    if (problem !== null) return refuse(problem);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return refuse('body is not JSON');
    }
    const deliveryId = request.headers['tokenwatch-delivery'];
    if (typeof deliveryId !== 'string' || deliveryId !== body['id']) return refuse('the delivery id header differs from the body id');
    if (taken.has(deliveryId)) duplicates += 1;
    else taken.set(deliveryId, { request, deliveryId, body });
    return { status: 200, body: { received: true } };
  });
  return {
    url: `${server.url}hooks/tokenwatch`,
    server,
    events: () => [...taken.values()],
    duplicates: () => duplicates,
    rejections: () => [...rejected],
    close: () => server.close(),
  };
}

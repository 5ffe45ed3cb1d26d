// A local stand-in for a Microsoft Teams Workflows webhook ("Post to a channel when a webhook request is received"),
// on 127.0.0.1, for tests. It checks what Teams checks and records what the channel would show.
// Followed:
// - https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using:
//   the Workflows "When a Teams webhook request is received" trigger takes a POSTed JSON message
//   {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":<AdaptiveCard>}]};
//   a message over about 28 KB is refused (HTTP 413); throttled requests get HTTP 429 with Retry-After.
// - https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference: Teams
//   renders Adaptive Cards up to version 1.5; a card needs "type":"AdaptiveCard" and a "version".
// - Power Automate's HTTP trigger answers 202 Accepted once the flow is queued, 400 with a JSON error for a body it
//   cannot use, and 401/404 for a URL whose signature (`sig` query parameter) is wrong or whose flow is deleted.
import { startJsonHttpServer, type JsonAnswer, type JsonHttpServer, type RecordedRequest } from './json-http-server';

export const TEAMS_MAX_BYTES = 28 * 1024;
const SUPPORTED_VERSIONS = new Set(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']);

export interface TeamsPost {
  readonly request: RecordedRequest;
  readonly card: { readonly version: string; readonly body: readonly Record<string, unknown>[]; readonly actions?: readonly Record<string, unknown>[] };
  /** Every TextBlock's and FactSet's text in order, Markdown escapes removed: what a reader sees. */
  readonly visibleText: string;
  /** The first TextBlock's text as shown. */
  readonly title: string;
}

export interface FakeTeamsServer {
  /** The webhook URL, with its signature: `http://127.0.0.1:PORT/workflows/ID/triggers/manual/paths/invoke?…&sig=SIG`. */
  readonly webhookUrl: string;
  readonly server: JsonHttpServer;
  /** The accepted posts. */
  posts(): TeamsPost[];
  close(): Promise<void>;
}

function shown(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function textsOf(elements: readonly unknown[]): string[] {
  return elements.flatMap((element) => {
    if (typeof element !== 'object' || element === null) return [];
    const e = element as { type?: unknown; text?: unknown; facts?: unknown; items?: unknown };
    if (e.type === 'TextBlock' && typeof e.text === 'string') return [shown(e.text)];
    if (e.type === 'FactSet' && Array.isArray(e.facts)) return (e.facts as { title: string; value: string }[]).map((fact) => `${fact.title}: ${fact.value}`);
    if (e.type === 'Container' && Array.isArray(e.items)) return textsOf(e.items as unknown[]);
    return [];
  });
}

/** Why Teams would refuse `body`, or null when it takes it. */
export function teamsProblem(body: string): string | null {
  if (Buffer.byteLength(body, 'utf8') > TEAMS_MAX_BYTES) return 'payload too large';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  const message = parsed as { type?: unknown; attachments?: unknown };
  if (message.type !== 'message') return 'type must be "message"';
  if (!Array.isArray(message.attachments) || message.attachments.length === 0) return 'attachments missing';
  for (const attachment of message.attachments as { contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown; actions?: unknown } }[]) {
    if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return 'contentType must be application/vnd.microsoft.card.adaptive';
    const card = attachment.content;
    if (card?.type !== 'AdaptiveCard') return 'content.type must be AdaptiveCard';
    if (typeof card.version !== 'string' || !SUPPORTED_VERSIONS.has(card.version)) return `card version ${String(card.version)} is not rendered by Teams`;
    if (!Array.isArray(card.body)) return 'card body missing';
    for (const action of (Array.isArray(card.actions) ? card.actions : []) as { type?: unknown; url?: unknown; title?: unknown }[]) {
      if (action.type !== 'Action.OpenUrl' || typeof action.url !== 'string' || typeof action.title !== 'string') return 'unsupported action';
    }
  }
  return null;
}

export async function startFakeTeams(options: { sig?: string } = {}): Promise<FakeTeamsServer> {
  const sig = options.sig ?? 'contract-signature';
  const accepted: TeamsPost[] = [];
  const server = await startJsonHttpServer((request, url): JsonAnswer | null => {
    if (request.method !== 'POST' || !url.pathname.startsWith('/workflows/')) return null;
    if (url.searchParams.get('sig') !== sig) return { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated.' } } };
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return { status: 400, body: { error: { code: 'InvalidRequestContent', message: 'Content-Type must be application/json' } } };
    const problem = teamsProblem(request.body);
    if (problem === 'payload too large') return { status: 413, body: { error: { code: 'MessageTooLarge', message: problem } } };
    if (problem !== null) return { status: 400, body: { error: { code: 'InvalidRequestContent', message: problem } } };
    const content = (JSON.parse(request.body) as { attachments: { content: TeamsPost['card'] }[] }).attachments[0]?.content;
    if (content === undefined) return { status: 400, body: { error: { code: 'InvalidRequestContent', message: 'no card' } } };
    const texts = textsOf(content.body);
    accepted.push({ request, card: content, visibleText: texts.join('\n'), title: texts[0] ?? '' });
    return { status: 202 };
  });
  return {
    webhookUrl: `${server.url}workflows/0a1b2c/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`,
    server,
    posts: () => [...accepted],
    close: () => server.close(),
  };
}

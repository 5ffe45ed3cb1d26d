// Runs every configured source once and records what it says: new tokens, renewals (as `renew` records them, so the
// confirmation goes out), states, facts, ids that left the source. A failing source does not stop the others; a
// source failing for longer than the stale period alerts once, and once more when it recovers. Alerts go through
// the reminder ledger and the outbox, so each is sent once whatever happens to the process.
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { coerceError, oneLine } from '../errors';
import { formatDate } from '../domain/dates';
import { alertKey, type Alert } from '../domain/alert';
import type { EnabledChannels } from '../domain/channel-name';
import { routesFor, type RoutingDefaults } from '../domain/routing';
import { NO_OWN_CHOICES, type Token } from '../domain/token';
import { redact, type Logger } from '../log';
import type { Outbox, QueuedMessage } from '../store/outbox';
import type { SourceLinks } from '../store/source-links';
import type { SourceStatusStore } from '../store/source-status';
import type { TokenRepository } from '../store/token-repository';
import { isBadState, planSourceSync, type CredentialPlan, type KnownToken, type SourceSyncPlan } from './reconcile';
import type { MdmName, Source, SourceReading } from './source';
import {
  SOURCE_ALERT_TOKEN_ID,
  renderInvalidAlert,
  renderSourceRecoveredAlert,
  renderSourceStaleAlert,
} from './source-alerts';

export interface SyncSettings {
  readonly zone: string;
  /** A source failing this long raises "cannot read" (TOKENWATCH_SOURCE_STALE_HOURS). */
  readonly staleHours: number;
  readonly routing: RoutingDefaults;
  readonly enabled: EnabledChannels;
  readonly secrets: readonly string[];
  /** The MDM of a token added from a source that names none (a folder, Apple): TOKENWATCH_MDM. */
  readonly defaultMdm: MdmName;
}

export interface SyncDeps {
  readonly sources: readonly Source[];
  readonly tokens: TokenRepository;
  readonly links: SourceLinks;
  readonly status: SourceStatusStore;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: SyncSettings;
  readonly signal?: AbortSignal;
  /** Hears that `done` of `total` sources are read, and which one is read now (null once all are): a progress bar. */
  readonly onProgress?: (done: number, total: number, current: string | null) => void;
}

export type ChangeKind = 'added' | 'renewed' | 'state' | 'earlier' | 'unchanged' | 'gone' | 'back' | 'skipped' | 'warning';

/** One thing sync noticed, as one line for the administrator. */
export interface SourceChange {
  readonly kind: ChangeKind;
  /** The token's name; null for an entry that is no token (a broken file). */
  readonly token: string | null;
  readonly sourceId: string;
  readonly text: string;
}

export interface SourceSyncResult {
  readonly source: string;
  readonly isOk: boolean;
  /** Why the source could not be read (one line, secrets redacted); null when it was. */
  readonly error: string | null;
  readonly changes: readonly SourceChange[];
  /** Alerts queued by this sync for this source: invalid tokens, stale or recovered. */
  readonly alerts: readonly string[];
}

export interface SyncReport {
  readonly at: DateTime;
  readonly sources: readonly SourceSyncResult[];
}

/** Counts of a result's changes by kind, for the summary line. */
export function countChanges(result: SourceSyncResult): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { added: 0, renewed: 0, state: 0, earlier: 0, unchanged: 0, gone: 0, back: 0, skipped: 0, warning: 0 };
  for (const change of result.changes) counts[change.kind] += 1;
  return counts;
}

/** Runs each source in turn (their order is the configuration's: the folder before Apple, which reads its files). */
export async function syncSources(deps: SyncDeps): Promise<SyncReport> {
  const at = deps.clock.now();
  const results: SourceSyncResult[] = [];
  for (const source of deps.sources) {
    if (deps.signal?.aborted === true) break;
    deps.onProgress?.(results.length, deps.sources.length, source.name);
    results.push(await syncOne(deps, source));
  }
  deps.onProgress?.(results.length, deps.sources.length, null);
  return { at, sources: results };
}

async function syncOne(deps: SyncDeps, source: Source): Promise<SourceSyncResult> {
  const { logger, settings } = deps;
  let reading: SourceReading;
  try {
    reading = await source.read(deps.signal);
  } catch (error) {
    const message = redact(oneLine(error), settings.secrets);
    const now = deps.clock.now();
    const alerts = deps.outbox.inTransaction(() => {
      const status = deps.status.recordFailure(source.name, message, now);
      return staleAlert(deps, source.name, status.failingSince ?? now, message, now);
    });
    logger.error('source.failed', { source: source.name, error: message });
    return { source: source.name, isOk: false, error: message, changes: [], alerts };
  }
  const now = deps.clock.now();
  return deps.outbox.inTransaction(() => {
    const before = deps.status.get(source.name);
    deps.status.recordSuccess(source.name, now);
    const alerts: string[] = [];
    if (before?.failingSince != null) alerts.push(...recoveredAlert(deps, source.name, before.failingSince, now));
    const plan = planSourceSync({ source: source.name, reading, tokens: deps.tokens.list().map(known), links: deps.links.all(), now });
    const changes = applyPlan(deps, plan, now, alerts);
    const reported = new Set(reading.credentials.map((credential) => credential.sourceId));
    for (const warning of reading.warnings) {
      const text = redact(warning.message, settings.secrets);
      // About a credential it reported (e.g. Apple's date differs from the file's): said; otherwise the entry was skipped.
      if (reported.has(warning.sourceId)) changes.push({ kind: 'warning', token: null, sourceId: warning.sourceId, text });
      else changes.push({ kind: 'skipped', token: null, sourceId: warning.sourceId, text: `${text} (skipped)` });
      logger.warn('source.entry_skipped', { source: source.name, id: warning.sourceId, error: text });
    }
    for (const change of changes) if (change.kind !== 'unchanged') logger.info(`source.${change.kind}`, { source: source.name, id: change.sourceId, token: change.token, text: change.text });
    return { source: source.name, isOk: true, error: null, changes, alerts };
  });
}

function known(token: Token): KnownToken {
  return {
    id: token.id,
    name: token.name,
    kind: token.kind,
    orgName: token.orgName,
    expiresAt: token.expiresAt,
    appleId: token.appleId,
    fingerprint: token.fingerprint,
  };
}

/** Records one source's plan: each credential in its own savepoint, so one failure skips only that credential. */
function applyPlan(deps: SyncDeps, plan: SourceSyncPlan, now: DateTime, alerts: string[]): SourceChange[] {
  const { zone } = deps.settings;
  const date = (at: DateTime | null): string => (at === null ? 'unknown' : formatDate(at, zone));
  const changes: SourceChange[] = [];
  for (const step of plan.credentials) {
    const { credential } = step;
    const before = changes.length;
    try {
      deps.outbox.inTransaction(() => {
        const token = applyCredential(deps, plan.source, step, now);
        const name = token.name;
        const id = credential.sourceId;
        const say = (kind: ChangeKind, text: string): void => {
          changes.push({ kind, token: name, sourceId: id, text });
        };
        if (step.expiry === 'new') say('added', `added "${name}" (expires ${date(token.expiresAt)}) from ${id}`);
        else if (step.expiry === 'renewal') say('renewed', `renewed "${name}": expires ${date(token.expiresAt)} (${id})`);
        else if (step.expiry === 'earlier') {
          say('earlier', `"${name}": ${id} says it expires ${date(credential.expiresAt)}, earlier than the registered ${date(token.expiresAt)}: not applied (check the token; "tokenwatch renew --expires" records a date)`);
        }
        if (step.stateChange !== null && step.stateChange.from !== null) {
          say('state', `"${name}": state ${step.stateChange.from} -> ${step.stateChange.to} (${id})`);
        } else if (step.stateChange !== null && isBadState(step.stateChange.to)) {
          say('state', `"${name}": state ${step.stateChange.to} (${id})`);
        }
        if (step.isBack) say('back', `"${name}": ${id} is back in ${plan.source}`);
        if (step.fillAppleId !== null) say('state', `"${name}": Apple ID set to ${step.fillAppleId} (none was recorded)`);
        if (step.shouldAlert) {
          const key = raiseInvalid(deps, plan.source, step, token, now);
          if (key !== null) alerts.push(`${name}: ${key}`);
        }
        if (changes.length === before) say('unchanged', `"${name}" unchanged (${id})`);
      });
    } catch (error) {
      changes.length = before; // what the rolled-back savepoint said did not happen
      const message = redact(oneLine(coerceError(error)), deps.settings.secrets);
      changes.push({ kind: 'skipped', token: null, sourceId: credential.sourceId, text: `${credential.sourceId}: ${message} (skipped)` });
      deps.logger.error('source.entry_failed', { source: plan.source, id: credential.sourceId, error: message });
    }
  }
  for (const link of plan.gone) {
    deps.links.markGone(plan.source, link.sourceId, now);
    const token = safeTokenName(deps, link.tokenId) ?? link.name;
    changes.push({ kind: 'gone', token, sourceId: link.sourceId, text: `"${token}": ${link.sourceId} is gone from ${plan.source}; the token stays registered` });
  }
  return changes;
}

function safeTokenName(deps: SyncDeps, id: number): string | null {
  try {
    return deps.tokens.getById(id).name;
  } catch {
    return null;
  }
}

/** Adds or renews the token as planned, records what the source said; returns the token as it now is. */
function applyCredential(deps: SyncDeps, source: string, step: CredentialPlan, now: DateTime): Token {
  const { credential } = step;
  let token: Token;
  if (step.target.type === 'new') {
    const existing = deps.tokens.findByName(step.target.name);
    if (existing !== null && step.expiry !== 'new') {
      token = existing; // an older credential of a token this same sync added
    } else {
      if (credential.expiresAt === null) throw new Error(`no expiry known for "${credential.name}": cannot register it`);
      token = deps.tokens.add(
        {
          name: step.target.name,
          kind: credential.kind,
          orgName: credential.facts.orgName ?? null,
          expiresAt: credential.expiresAt,
          downloadedAt: null,
          appleId: credential.appleId,
          ...NO_OWN_CHOICES,
          fingerprint: credential.facts.fingerprint ?? null,
          // The MDM that reported it; a folder or Apple does not say (Workspace ONE UEM steps, as before kinds).
          mdm: credential.mdm ?? deps.settings.defaultMdm,
          topic: credential.kind === 'apns' ? (credential.facts.topic ?? null) : null,
        },
        now,
      );
    }
  } else {
    token = deps.tokens.getById(step.target.token.id);
    if (step.expiry === 'renewal' && credential.expiresAt !== null) {
      token = deps.tokens.renew(
        token.name,
        {
          expiresAt: credential.expiresAt,
          ...(credential.facts.orgName === undefined ? {} : { orgName: credential.facts.orgName }),
          ...(credential.facts.fingerprint === undefined ? {} : { fingerprint: credential.facts.fingerprint }),
        },
        now,
      );
    }
    if (step.fillAppleId !== null) token = deps.tokens.edit(token.name, { appleId: step.fillAppleId }, now);
  }
  deps.links.upsert(
    {
      source,
      sourceId: credential.sourceId,
      tokenId: token.id,
      name: credential.name,
      expiresAt: credential.expiresAt,
      state: credential.state,
      stateSince: step.stateSince,
      facts: credential.facts,
    },
    now,
  );
  return token;
}

/** Queues "invalid before its date" for the token's current expiry, once per occurrence (the state's start). */
function raiseInvalid(deps: SyncDeps, source: string, step: CredentialPlan, token: Token, now: DateTime): string | null {
  const { credential } = step;
  const alert: Alert = { kind: 'invalid', state: credential.state, since: step.stateSince.toMillis() };
  const message = renderInvalidAlert({
    tokenName: token.name,
    kind: token.kind,
    orgName: token.orgName,
    expiresAt: token.expiresAt,
    appleId: token.appleId,
    orgGroup: token.orgGroup,
    source,
    state: credential.state,
    since: step.stateSince,
    detail: credential.facts.detail ?? null,
    location: credential.facts.locationName ?? null,
    zone: deps.settings.zone,
  });
  const routes = routesFor(token, deps.settings.routing, deps.settings.enabled);
  const isNew = deps.outbox.recordMessage({ token, alert, subject: message.subject, routes, message }, now);
  const key = alertKey(alert);
  if (isNew) deps.logger.warn('source.token_invalid', { source, token: token.name, state: credential.state, alert: key });
  return isNew ? key : null;
}

/** An alert about a source goes to the default recipients: it concerns no token's own. */
const SOURCE_TARGET = { email: null, slackChannel: null } as const;

/** Records a source's "cannot read" or "recovered" alert once per failure run (keyed by its start); true when new. */
function recordSourceAlert(deps: SyncDeps, source: string, since: DateTime, alert: Alert, message: QueuedMessage['message'], now: DateTime): boolean {
  return deps.outbox.recordMessage(
    {
      token: { id: SOURCE_ALERT_TOKEN_ID, name: `source ${source}`, expiresAt: since },
      alert,
      subject: message.subject,
      routes: routesFor(SOURCE_TARGET, deps.settings.routing, deps.settings.enabled),
      message,
    },
    now,
  );
}

/** Once the failure run is older than the stale period: "cannot read", once per run. */
function staleAlert(deps: SyncDeps, source: string, since: DateTime, reason: string, now: DateTime): string[] {
  if (now.toMillis() - since.toMillis() < deps.settings.staleHours * 3_600_000) return [];
  const alert: Alert = { kind: 'source-stale', source };
  const key = alertKey(alert);
  const isNew = recordSourceAlert(deps, source, since, alert, renderSourceStaleAlert(source, since, reason, deps.settings.zone), now);
  if (isNew) deps.logger.error('source.stale', { source, since: since.toISO(), error: reason });
  return isNew ? [key] : [];
}

/** After a failure run that alerted: "reads again", once per run. A run that never alerted recovers quietly. */
function recoveredAlert(deps: SyncDeps, source: string, since: DateTime, now: DateTime): string[] {
  if (!deps.outbox.isDecided(SOURCE_ALERT_TOKEN_ID, since, alertKey({ kind: 'source-stale', source }))) return [];
  const alert: Alert = { kind: 'source-recovered', source };
  const key = alertKey(alert);
  const isNew = recordSourceAlert(deps, source, since, alert, renderSourceRecoveredAlert(source, since, now, deps.settings.zone), now);
  if (isNew) deps.logger.info('source.recovered', { source, since: since.toISO() });
  return isNew ? [key] : [];
}

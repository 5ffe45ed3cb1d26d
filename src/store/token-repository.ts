// The token registry: owns the table tokens. Every change is one transaction that also records it through the token
// history's owner; a renewal or removal cancels the token's pending deliveries through the outbox's owner.
import { DateTime } from 'luxon';
import { InputError, quoted } from '../errors';
import type { MdmName } from '../domain/kinds';
import type { Token, TokenInput, TokenKind } from '../domain/token';
import type { Db } from './database';
import type { Outbox } from './outbox';
import { immediateTransaction, instant, Repository } from './repository';
import { TokenHistory, type HistoryAction, type HistoryEntry } from './token-history';

export type { HistoryAction, HistoryEntry };

interface TokenRow {
  id: number;
  name: string;
  kind: TokenKind;
  org_name: string | null;
  expires_at: number;
  added_at: number;
  downloaded_at: number | null;
  apple_id: string | null;
  org_group: string | null;
  email: string | null;
  slack_channel: string | null;
  teams: string | null;
  escalate_email: string | null;
  escalate_slack: string | null;
  escalate_teams: string | null;
  slack_mentions: string | null;
  thresholds: string | null;
  notes: string | null;
  fingerprint: string | null;
  muted_at: number | null;
  muted_until: number | null;
  renewal_pending: number;
  mdm: MdmName;
  topic: string | null;
  console_url: string | null;
}

/** Fields `edit` may change; undefined leaves a field as it is, null clears an optional one. */
export interface TokenEdit {
  name?: string;
  kind?: TokenKind;
  appleId?: string | null;
  orgGroup?: string | null;
  email?: string[] | null;
  slackChannel?: string | null;
  teams?: string | null;
  escalateEmail?: string[] | null;
  escalateSlack?: string[] | null;
  escalateTeams?: string[] | null;
  slackMentions?: string[] | null;
  thresholds?: number[] | null;
  notes?: string | null;
  mdm?: MdmName;
  consoleUrl?: string | null;
}

export interface Renewal {
  expiresAt: DateTime;
  /** When the new token file was downloaded, when known; unknown by default. */
  downloadedAt?: DateTime | null;
  orgName?: string | null;
  fingerprint?: string | null;
  /** APNs: the new certificate's topic (the caller checked it, or was told to accept a change). */
  topic?: string | null;
  /** What `--force` let through (e.g. an earlier expiry), recorded in the history. */
  forced?: readonly string[];
}

const DAY_MS = 86_400_000;

/** Each part of the union has its own (partial) index; see dueCandidates. */
export const DUE_CANDIDATES_SQL = `
  SELECT * FROM tokens WHERE thresholds IS NULL AND expires_at <= @horizon
  UNION
  SELECT * FROM tokens WHERE thresholds IS NOT NULL AND watch_from <= @now
  UNION
  SELECT * FROM tokens WHERE renewal_pending = 1
  ORDER BY expires_at`;


/** A list column (JSON array of strings), null for none. */
function list(json: string | null): string[] | null {
  return json === null ? null : (JSON.parse(json) as string[]);
}

function listJson(values: readonly string[] | null): string | null {
  return values === null ? null : JSON.stringify(values);
}

function toToken(row: TokenRow): Token {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    orgName: row.org_name,
    expiresAt: instant(row.expires_at),
    addedAt: instant(row.added_at),
    downloadedAt: row.downloaded_at === null ? null : instant(row.downloaded_at),
    appleId: row.apple_id,
    orgGroup: row.org_group,
    email: row.email === null ? null : (JSON.parse(row.email) as string[]),
    slackChannel: row.slack_channel,
    teams: row.teams,
    escalateEmail: list(row.escalate_email),
    escalateSlack: list(row.escalate_slack),
    escalateTeams: list(row.escalate_teams),
    slackMentions: list(row.slack_mentions),
    thresholds: row.thresholds === null ? null : (JSON.parse(row.thresholds) as number[]),
    notes: row.notes,
    fingerprint: row.fingerprint,
    mutedAt: row.muted_at === null ? null : instant(row.muted_at),
    mutedUntil: row.muted_until === null ? null : instant(row.muted_until),
    renewalPending: row.renewal_pending === 1,
    mdm: row.mdm,
    topic: row.topic,
    consoleUrl: row.console_url,
  };
}

/** The instant from which a token with its own thresholds can be due (one spare day for zone offsets). */
function watchFrom(expiresAtMs: number, thresholds: readonly number[] | null): number | null {
  if (thresholds === null || thresholds.length === 0) return null;
  return expiresAtMs - (Math.max(...thresholds) + 1) * DAY_MS;
}

/** The fields of a token worth keeping in history (never a secret: the token holds none). SNAPSHOTS_SQL says the same. */
function snapshot(token: Token): Record<string, unknown> {
  return {
    name: token.name,
    kind: token.kind,
    orgName: token.orgName,
    expiresAt: token.expiresAt.toISO(),
    downloadedAt: token.downloadedAt === null ? null : token.downloadedAt.toISO(),
    appleId: token.appleId,
    orgGroup: token.orgGroup,
    email: token.email,
    slackChannel: token.slackChannel,
    teams: token.teams,
    escalateEmail: token.escalateEmail,
    escalateSlack: token.escalateSlack,
    escalateTeams: token.escalateTeams,
    slackMentions: token.slackMentions,
    thresholds: token.thresholds,
    notes: token.notes,
    fingerprint: token.fingerprint,
    mdm: token.mdm,
    topic: token.topic,
    consoleUrl: token.consoleUrl,
  };
}

/** Epoch milliseconds of 10000-01-01T00:00:00Z: SQLite's date functions stop before it (luxon writes +010000-…). */
const SQL_CALENDAR_END_MS = 253_402_300_800_000;

/** An instant column as luxon's toISO() writes a UTC DateTime: 2027-06-01T10:00:00.000Z. */
const isoSql = (column: string): string => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;

/**
 * snapshot() in SQL, for the tokens from id ? on, as (token_id, token_name, details): a bulk import records its history
 * in one statement instead of a Token and a JSON text built in JS per row. Same keys in the same order (a test keeps
 * the two equal); the list columns already hold JSON, which json() embeds as arrays.
 */
const SNAPSHOTS_SQL = `
  SELECT id AS token_id, name AS token_name, json_object(
    'name', name, 'kind', kind, 'orgName', org_name, 'expiresAt', ${isoSql('expires_at')},
    'downloadedAt', ${isoSql('downloaded_at')}, 'appleId', apple_id, 'orgGroup', org_group, 'email', json(email),
    'slackChannel', slack_channel, 'teams', teams, 'escalateEmail', json(escalate_email),
    'escalateSlack', json(escalate_slack), 'escalateTeams', json(escalate_teams), 'slackMentions', json(slack_mentions),
    'thresholds', json(thresholds), 'notes', notes, 'fingerprint', fingerprint, 'mdm', mdm, 'topic', topic,
    'consoleUrl', console_url) AS details
  FROM tokens WHERE id >= ?`;

/** A UNIQUE constraint failed (better-sqlite3's SqliteError code: https://www.sqlite.org/rescode.html#constraint_unique). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class TokenRepository extends Repository {
  private readonly changes: TokenHistory;
  private outboxOwner: Outbox | null = null;

  constructor(db: Db) {
    super(db);
    this.changes = new TokenHistory(db);
  }

  /**
   * The outbox's owner, made (and its module loaded) when a renewal or removal first cancels deliveries: `list` and
   * `show` never need it, and its module brings the decision ledger, the digest log and the lease (node:crypto),
   * several milliseconds of every `tokenwatch list`.
   */
  private get outbox(): Outbox {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.outboxOwner ??= new (require('./outbox') as typeof import('./outbox')).Outbox(this.db);
    return this.outboxOwner;
  }

  /**
   * Adds tokens in one transaction, all or none, and returns them as the registry reads them back. `onProgress` hears
   * how many rows are in so far (a progress bar).
   */
  addMany(inputs: readonly TokenInput[], at: DateTime, onProgress?: (done: number, total: number) => void): Token[] {
    return immediateTransaction(this.db, () => {
      const firstId = this.insertMany(inputs, at, onProgress);
      const rows = this.sql('SELECT * FROM tokens WHERE id >= ? ORDER BY id').all(firstId) as TokenRow[];
      return rows.map(toToken);
    });
  }

  /**
   * Adds tokens as addMany does and returns only how many: what a bulk import that prints a count runs, so that
   * 100,000 rows do not become 100,000 Tokens (their DateTimes and arrays are most of an import's time in JS).
   */
  addManyCounted(inputs: readonly TokenInput[], at: DateTime, onProgress?: (done: number, total: number) => void): number {
    immediateTransaction(this.db, () => this.insertMany(inputs, at, onProgress));
    return inputs.length;
  }

  /**
   * Inserts the tokens and their 'added' history inside the caller's transaction; returns the first new id: the new
   * rows are the ids from there on (SQLite gives a row without an id the largest rowid plus one, and the write
   * transaction keeps other writers out).
   */
  private insertMany(inputs: readonly TokenInput[], at: DateTime, onProgress?: (done: number, total: number) => void): number {
    // Positional parameters: better-sqlite3 binds a named one by looking its name up on the object, one string per
    // parameter per row, which doubled a 100,000-row import.
    const insert = this.sql(`
      INSERT INTO tokens (name, kind, org_name, expires_at, added_at, downloaded_at, apple_id, org_group, email,
                          slack_channel, teams, escalate_email, escalate_slack, escalate_teams, slack_mentions,
                          thresholds, watch_from, notes, fingerprint, mdm, topic, console_url, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const atMs = at.toMillis();
    const firstId = this.nextId();
    let isSqlCalendar = true;
    inputs.forEach((input, index) => {
      const expiresAt = input.expiresAt.toMillis();
      const downloadedAt = input.downloadedAt === null ? null : input.downloadedAt.toMillis();
      isSqlCalendar &&= expiresAt < SQL_CALENDAR_END_MS && (downloadedAt === null || downloadedAt < SQL_CALENDAR_END_MS);
      try {
        insert.run(
          input.name,
          input.kind,
          input.orgName,
          expiresAt,
          atMs,
          downloadedAt,
          input.appleId,
          input.orgGroup,
          input.email === null ? null : JSON.stringify(input.email),
          input.slackChannel,
          input.teams,
          listJson(input.escalateEmail),
          listJson(input.escalateSlack),
          listJson(input.escalateTeams),
          listJson(input.slackMentions),
          input.thresholds === null ? null : JSON.stringify(input.thresholds),
          watchFrom(expiresAt, input.thresholds),
          input.notes,
          input.fingerprint,
          input.mdm,
          input.topic,
          input.consoleUrl ?? null,
          atMs,
          atMs,
        );
      } catch (error) {
        // The unique name and fingerprint are checked by the insert itself (no SELECT per row); a conflict is then
        // explained as assertFree says it, naming the entry.
        if (isUniqueViolation(error)) this.assertFree(input.name, input.fingerprint, inputs.length > 1 ? index : null);
        throw error;
      }
      onProgress?.(index + 1, inputs.length);
    });
    if (isSqlCalendar) this.changes.recordEach('added', at, SNAPSHOTS_SQL, firstId);
    else {
      // An instant past 9999-12-31 UTC, which SQLite's date functions do not write: the snapshots are made in JS.
      const rows = this.sql('SELECT * FROM tokens WHERE id >= ? ORDER BY id').all(firstId) as TokenRow[];
      for (const token of rows.map(toToken)) this.changes.record(token, 'added', at, snapshot(token));
    }
    return firstId;
  }

  /** The id the next insert gets (largest rowid plus one; the table is not AUTOINCREMENT). */
  private nextId(): number {
    return (this.sql('SELECT coalesce(max(id), 0) + 1 AS id FROM tokens').get() as { id: number }).id;
  }

  add(input: TokenInput, at: DateTime): Token {
    const [token] = this.addMany([input], at);
    if (token === undefined) throw new Error('add: nothing was added');
    return token;
  }

  findByName(name: string): Token | null {
    const row = this.sql('SELECT * FROM tokens WHERE name = ?').get(name) as TokenRow | undefined;
    return row === undefined ? null : toToken(row);
  }

  /** The token called `name`, or an InputError saying it is unknown. */
  getByName(name: string): Token {
    const token = this.findByName(name);
    if (token === null) throw new InputError(`unknown token ${quoted(name)} (expected a name shown by "tokenwatch list")`);
    return token;
  }

  getById(id: number): Token {
    const row = this.sql('SELECT * FROM tokens WHERE id = ?').get(id) as TokenRow | undefined;
    if (row === undefined) throw new Error(`token #${id} not found`);
    return toToken(row);
  }

  /** The token holding the APNs push topic `topic`, if any. */
  findByTopic(topic: string): Token | null {
    const row = this.sql('SELECT * FROM tokens WHERE topic = ? LIMIT 1').get(topic) as TokenRow | undefined;
    return row === undefined ? null : toToken(row);
  }

  /** Every token-file fingerprint the token has had: its current one and those its history recorded. */
  fingerprintsOf(token: Token): Set<string> {
    const fingerprints = this.changes.fingerprints(token.id);
    if (token.fingerprint !== null) fingerprints.add(token.fingerprint);
    return fingerprints;
  }

  findByFingerprint(fingerprint: string): Token | null {
    const row = this.sql('SELECT * FROM tokens WHERE fingerprint = ?').get(fingerprint) as TokenRow | undefined;
    return row === undefined ? null : toToken(row);
  }

  /** Every token, soonest expiry first. */
  list(): Token[] {
    const rows = this.sql('SELECT * FROM tokens ORDER BY expires_at, name').all() as TokenRow[];
    return rows.map(toToken);
  }

  count(): number {
    return (this.sql('SELECT count(*) AS n FROM tokens').get() as { n: number }).n;
  }

  /** Every Teams webhook name a token routes to (its own webhook or an escalation contact), with the token's name. */
  teamsWebhookUses(): { readonly webhook: string; readonly token: string }[] {
    return this.sql(
      `SELECT teams AS webhook, name AS token FROM tokens WHERE teams IS NOT NULL
       UNION
       SELECT contact.value, tokens.name FROM tokens, json_each(tokens.escalate_teams) AS contact WHERE tokens.escalate_teams IS NOT NULL
       ORDER BY webhook, token`,
    ).all() as { webhook: string; token: string }[];
  }

  /**
   * Tokens that can be due at `now`: those on the global thresholds expiring before `globalHorizon`, those with
   * their own thresholds whose watch window has begun, and those waiting for a renewal confirmation.
   * Each part uses its own index, so the cost follows the number of due tokens, not the registry's size.
   */
  dueCandidates(now: DateTime, globalHorizon: DateTime): Token[] {
    const rows = this
      .sql(DUE_CANDIDATES_SQL)
      .all({ horizon: globalHorizon.toMillis(), now: now.toMillis() }) as TokenRow[];
    return rows.map(toToken);
  }

  edit(name: string, changes: TokenEdit, at: DateTime): Token {
    return this.db
      .transaction(() => {
        const before = this.getByName(name);
        if (changes.name !== undefined && changes.name !== before.name) this.assertFree(changes.name, null, null);
        const after = {
          name: changes.name ?? before.name,
          kind: changes.kind ?? before.kind,
          appleId: changes.appleId === undefined ? before.appleId : changes.appleId,
          orgGroup: changes.orgGroup === undefined ? before.orgGroup : changes.orgGroup,
          email: changes.email === undefined ? before.email : changes.email,
          slackChannel: changes.slackChannel === undefined ? before.slackChannel : changes.slackChannel,
          teams: changes.teams === undefined ? before.teams : changes.teams,
          escalateEmail: changes.escalateEmail === undefined ? before.escalateEmail : changes.escalateEmail,
          escalateSlack: changes.escalateSlack === undefined ? before.escalateSlack : changes.escalateSlack,
          escalateTeams: changes.escalateTeams === undefined ? before.escalateTeams : changes.escalateTeams,
          slackMentions: changes.slackMentions === undefined ? before.slackMentions : changes.slackMentions,
          thresholds: changes.thresholds === undefined ? before.thresholds : changes.thresholds,
          notes: changes.notes === undefined ? before.notes : changes.notes,
          mdm: changes.mdm ?? before.mdm,
          consoleUrl: changes.consoleUrl === undefined ? before.consoleUrl : changes.consoleUrl,
        };
        this
          .sql(
            `UPDATE tokens SET name = @name, kind = @kind, apple_id = @appleId, org_group = @orgGroup, email = @email,
               slack_channel = @slackChannel, teams = @teams, escalate_email = @escalateEmail,
               escalate_slack = @escalateSlack, escalate_teams = @escalateTeams, slack_mentions = @slackMentions,
               thresholds = @thresholds, watch_from = @watchFrom, notes = @notes,
               mdm = @mdm, console_url = @consoleUrl, updated_at = @at WHERE id = @id`,
          )
          .run({
            ...after,
            email: after.email === null ? null : JSON.stringify(after.email),
            escalateEmail: listJson(after.escalateEmail),
            escalateSlack: listJson(after.escalateSlack),
            escalateTeams: listJson(after.escalateTeams),
            slackMentions: listJson(after.slackMentions),
            thresholds: after.thresholds === null ? null : JSON.stringify(after.thresholds),
            watchFrom: watchFrom(before.expiresAt.toMillis(), after.thresholds),
            at: at.toMillis(),
            id: before.id,
          });
        const token = this.getById(before.id);
        this.record(token, 'edited', at, { before: snapshot(before), after: snapshot(token) });
        return token;
      })
      .immediate();
  }

  /** Records a renewal: a new expiry starts a new reminder cycle and asks for a "renewed" confirmation. */
  renew(name: string, renewal: Renewal, at: DateTime): Token {
    return this.db
      .transaction(() => {
        const before = this.getByName(name);
        if (renewal.fingerprint != null) this.assertFree(null, renewal.fingerprint, null, before.id);
        const expiresAt = renewal.expiresAt.toMillis();
        this
          .sql(
            `UPDATE tokens SET expires_at = @expiresAt, downloaded_at = @downloadedAt, org_name = @orgName,
               fingerprint = @fingerprint, topic = @topic, watch_from = @watchFrom, renewal_pending = 1, updated_at = @at
             WHERE id = @id`,
          )
          .run({
            expiresAt,
            downloadedAt: renewal.downloadedAt == null ? null : renewal.downloadedAt.toMillis(),
            orgName: renewal.orgName === undefined ? before.orgName : renewal.orgName,
            fingerprint: renewal.fingerprint === undefined ? before.fingerprint : renewal.fingerprint,
            topic: renewal.topic === undefined ? before.topic : renewal.topic,
            watchFrom: watchFrom(expiresAt, before.thresholds),
            at: at.toMillis(),
            id: before.id,
          });
        // Reminders still waiting for the old expiry no longer apply.
        this.outbox.cancelPending(before.id, 'token renewed', renewal.expiresAt);
        const token = this.getById(before.id);
        this.record(token, 'renewed', at, {
          previousExpiresAt: before.expiresAt.toISO(),
          expiresAt: token.expiresAt.toISO(),
          fingerprint: token.fingerprint,
          ...(before.topic === token.topic ? {} : { previousTopic: before.topic, topic: token.topic }),
          ...(renewal.forced === undefined || renewal.forced.length === 0 ? {} : { forced: renewal.forced }),
        });
        return token;
      })
      .immediate();
  }

  /** Marks the renewal confirmation of the token's current expiry as handled. */
  clearRenewalPending(tokenId: number): void {
    this.sql('UPDATE tokens SET renewal_pending = 0 WHERE id = ?').run(tokenId);
  }

  remove(name: string, at: DateTime): Token {
    return this.db
      .transaction(() => {
        const token = this.getByName(name);
        this.sql('DELETE FROM tokens WHERE id = ?').run(token.id);
        this.outbox.cancelPending(token.id, 'token removed');
        this.record(token, 'removed', at, snapshot(token));
        return token;
      })
      .immediate();
  }

  mute(name: string, until: DateTime | null, at: DateTime): Token {
    return this.db
      .transaction(() => {
        const before = this.getByName(name);
        this
          .sql('UPDATE tokens SET muted_at = ?, muted_until = ?, updated_at = ? WHERE id = ?')
          .run(at.toMillis(), until === null ? null : until.toMillis(), at.toMillis(), before.id);
        const token = this.getById(before.id);
        this.record(token, 'muted', at, { until: until === null ? null : until.toISO() });
        return token;
      })
      .immediate();
  }

  unmute(name: string, at: DateTime): Token {
    return this.db
      .transaction(() => {
        const before = this.getByName(name);
        this.sql('UPDATE tokens SET muted_at = NULL, muted_until = NULL, updated_at = ? WHERE id = ?').run(at.toMillis(), before.id);
        const token = this.getById(before.id);
        this.record(token, 'unmuted', at, {});
        return token;
      })
      .immediate();
  }

  /** What happened to one token (by its current or former name), or to all, oldest first. */
  history(name?: string): HistoryEntry[] {
    return this.changes.list(name);
  }

  private record(token: Token, action: HistoryAction, at: DateTime, details: Record<string, unknown>): void {
    this.changes.record(token, action, at, details);
  }

  private assertFree(name: string | null, fingerprint: string | null, index: number | null, exceptId?: number): void {
    const where = index === null ? '' : ` (entry ${index + 1})`;
    if (name !== null && this.sql('SELECT 1 FROM tokens WHERE name = ?').get(name) !== undefined) {
      throw new InputError(`token ${quoted(name)}${where}: a token with this name is already registered (expected a new name; see "tokenwatch list")`);
    }
    if (fingerprint !== null) {
      const existing = this.sql('SELECT id, name FROM tokens WHERE fingerprint = ?').get(fingerprint) as { id: number; name: string } | undefined;
      if (existing !== undefined && existing.id !== exceptId) {
        throw new InputError(`token file${where}: already registered as "${existing.name}" (same SHA-256 fingerprint ${fingerprint.slice(0, 12)}…)`);
      }
    }
  }
}

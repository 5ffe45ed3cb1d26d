// Numbered, forward-only schema migrations. Never edit a shipped one: add the next number.
// PRAGMA user_version holds the number of the last one applied.

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'token registry and its history',
    sql: `
      CREATE TABLE tokens (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL UNIQUE,
        kind          TEXT    NOT NULL CHECK (kind IN ('vpp', 'apns', 'ade')),
        org_name      TEXT,
        expires_at    INTEGER NOT NULL,            -- epoch milliseconds
        added_at      INTEGER NOT NULL,
        apple_id      TEXT,
        org_group     TEXT,
        email         TEXT,                        -- JSON array of addresses
        slack_channel TEXT,
        thresholds    TEXT,                        -- JSON array of days
        watch_from    INTEGER,                     -- expires_at minus the largest own threshold (+1 day); null = global thresholds
        notes         TEXT,
        fingerprint   TEXT UNIQUE,                 -- SHA-256 of the token file; never the secret itself
        muted_at      INTEGER,
        muted_until   INTEGER,
        renewal_pending INTEGER NOT NULL DEFAULT 0, -- 1 until the "renewed" confirmation is queued
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE INDEX tokens_global_due ON tokens (expires_at) WHERE thresholds IS NULL;
      CREATE INDEX tokens_own_due ON tokens (watch_from) WHERE thresholds IS NOT NULL;
      CREATE INDEX tokens_renewal_pending ON tokens (id) WHERE renewal_pending = 1;

      CREATE TABLE token_history (
        id         INTEGER PRIMARY KEY,
        token_id   INTEGER NOT NULL,
        token_name TEXT    NOT NULL,
        action     TEXT    NOT NULL CHECK (action IN ('added', 'renewed', 'edited', 'removed', 'muted', 'unmuted')),
        at         INTEGER NOT NULL,
        details    TEXT    NOT NULL                -- JSON
      );
      CREATE INDEX token_history_token ON token_history (token_id, id);
    `,
  },
  {
    version: 2,
    description: 'reminder decisions, the outbox and the daemon lease',
    sql: `
      -- One row per reminder decided for a token's expiry cycle: sent once, or skipped by catch-up.
      CREATE TABLE reminder_decisions (
        token_id   INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        alert      TEXT    NOT NULL,               -- 't60', 't30', 't7', 'expired', 'expired+7', 'renewed'
        status     TEXT    NOT NULL CHECK (status IN ('queued', 'skipped')),
        decided_at INTEGER NOT NULL,
        PRIMARY KEY (token_id, expires_at, alert)
      ) WITHOUT ROWID;

      -- One row per reminder, channel and recipient; marked sent only after the server accepted it.
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        token_id        INTEGER NOT NULL,
        token_name      TEXT    NOT NULL,
        expires_at      INTEGER NOT NULL,
        alert           TEXT    NOT NULL,
        channel         TEXT    NOT NULL,
        recipient       TEXT    NOT NULL,
        subject         TEXT    NOT NULL,
        payload         TEXT    NOT NULL,          -- JSON of the rendered reminder
        status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        UNIQUE (token_id, expires_at, alert, channel, recipient)
      );
      CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX outbox_token ON outbox (token_name, id);

      -- Only the holder of the lease sends; it renews it by heartbeat.
      CREATE TABLE lease (
        name         TEXT    PRIMARY KEY,
        holder       TEXT    NOT NULL,
        expires_at   INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'digests: the facts of each reminder and the digest that carried it',
    sql: `
      -- The structured facts of a reminder (JSON: kind, threshold, token fields, zone), so that several can be
      -- rendered as one digest at delivery time. Null for rows queued before this migration (sent one by one).
      ALTER TABLE outbox ADD COLUMN facts TEXT;

      -- One row per digest message attempted for a channel and recipient.
      CREATE TABLE digests (
        id         INTEGER PRIMARY KEY,
        channel    TEXT    NOT NULL,
        recipient  TEXT    NOT NULL,
        reminders  INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );

      -- The digest that last carried the reminder (null when it went on its own).
      ALTER TABLE outbox ADD COLUMN digest_id INTEGER REFERENCES digests (id);
    `,
  },
  {
    version: 4,
    description: 'an index of failed deliveries, so doctor and retry do not read the whole outbox',
    sql: `
      -- The outbox keeps every reminder ever sent: after a year of a large registry it holds millions of rows, of
      -- which a handful failed. doctor (permanentFailures) and retry (requeueFailed, unroutedFailures) read only those.
      CREATE INDEX outbox_failed ON outbox (id) WHERE status = 'failed';
    `,
  },
  {
    version: 5,
    description: 'one sender: who holds the lease and since when, its generation, and per-row claims in the outbox',
    sql: `
      -- The lease says what kind of process holds it (daemon or scan) and since when; each new holder takes the next
      -- generation. A released lease keeps its row (expires_at = 0) so that generations only ever go up.
      ALTER TABLE lease ADD COLUMN role TEXT NOT NULL DEFAULT 'daemon' CHECK (role IN ('daemon', 'scan'));
      ALTER TABLE lease ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE lease ADD COLUMN acquired_at INTEGER;

      -- A row is claimed by the lease holder just before it is sent: who claimed it, under which generation, and until
      -- when the claim stands (null once the attempt is recorded). The claim is kept after the attempt: it says who sent.
      ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
      ALTER TABLE outbox ADD COLUMN claim_generation INTEGER;
      ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
    `,
  },
  {
    version: 6,
    description: 'sources: which source saw which token, each source\'s health, Apple checks',
    sql: `
      -- One row per credential a source reported, keyed by the source and its id there; several sources (a folder,
      -- Apple, an MDM) can point at the same token. Never a secret: state, facts and the last expiry seen.
      CREATE TABLE token_sources (
        source        TEXT    NOT NULL,
        source_id     TEXT    NOT NULL,
        token_id      INTEGER NOT NULL,
        name          TEXT    NOT NULL,            -- what the source calls it
        expires_at    INTEGER,                     -- the expiry the source last reported (epoch ms), null if unknown
        state         TEXT    NOT NULL,
        state_since   INTEGER NOT NULL,            -- when the source first reported this state (an occurrence's key)
        facts         TEXT    NOT NULL,            -- JSON: location, topic, uId, country, fingerprint
        first_seen_at INTEGER NOT NULL,
        last_seen_at  INTEGER NOT NULL,
        gone_at       INTEGER,                     -- when the source stopped listing it; null while listed
        PRIMARY KEY (source, source_id)
      ) WITHOUT ROWID;
      CREATE INDEX token_sources_token ON token_sources (token_id);

      -- One row per configured source: its last success and, while it fails, since when and why.
      CREATE TABLE source_status (
        source          TEXT    PRIMARY KEY,
        last_attempt_at INTEGER NOT NULL,
        last_success_at INTEGER,
        failing_since   INTEGER,
        last_error      TEXT,
        failures        INTEGER NOT NULL DEFAULT 0  -- failed reads, ever
      );

      -- Apple's answer to client/config per token file (by its SHA-256), so a token is asked at most once a day.
      CREATE TABLE apple_checks (
        fingerprint TEXT    PRIMARY KEY,
        checked_at  INTEGER NOT NULL,
        answer      TEXT    NOT NULL                -- JSON of what was kept: state, uId, location, country, expiry, error
      );
    `,
  },
  {
    version: 7,
    description: "each token's MDM console, and an APNs certificate's push topic",
    sql: `
      -- The console a token is uploaded to: it selects the console part of the renewal steps. Tokens registered
      -- before this migration were described with Workspace ONE UEM steps.
      ALTER TABLE tokens ADD COLUMN mdm TEXT NOT NULL DEFAULT 'workspace-one'
        CHECK (mdm IN ('workspace-one', 'jamf', 'intune', 'other'));
      -- APNs only: the certificate's subject UID (com.apple.mgmt.…). A renewal with another topic is refused.
      ALTER TABLE tokens ADD COLUMN topic TEXT;
    `,
  },
  {
    version: 8,
    description: 'the download date of a token apart from the date it was added',
    sql: `
      -- added_at used to hold the download date when one was given, and moved to the renewal's time on each renewal.
      -- From now on added_at is when the token was added (created_at) and downloaded_at the download date, if known:
      -- a download date given at registration was earlier than the registration itself.
      ALTER TABLE tokens ADD COLUMN downloaded_at INTEGER;
      UPDATE tokens SET downloaded_at = added_at WHERE added_at < created_at;
      UPDATE tokens SET added_at = created_at;
    `,
  },
  {
    version: 9,
    description: "each token's own MDM console page",
    sql: `
      -- The token's own console page (an https address, never with credentials): its messages link there instead
      -- of TOKENWATCH_CONSOLE_URL. Null: the global address, if any.
      ALTER TABLE tokens ADD COLUMN console_url TEXT;
    `,
  },
  {
    version: 10,
    description: "each token's Teams webhook, by name",
    sql: `
      -- The Teams webhook a token's reminders go to instead of TOKENWATCH_TEAMS_DEFAULT: its NAME only (the URL is a
      -- secret kept in the environment); null for the default.
      ALTER TABLE tokens ADD COLUMN teams TEXT;
    `,
  },
  {
    version: 11,
    description: "each token's escalation contacts and Slack mentions",
    sql: `
      -- Who also receives the token's smallest-threshold reminder and every expired alert, per channel (JSON arrays:
      -- email addresses, Slack channels or user ids, Teams webhook NAMES); null takes the defaults (TOKENWATCH_ESCALATE_*).
      ALTER TABLE tokens ADD COLUMN escalate_email TEXT;
      ALTER TABLE tokens ADD COLUMN escalate_slack TEXT;
      ALTER TABLE tokens ADD COLUMN escalate_teams TEXT;
      -- Slack user (U…, W…) and user-group (S…) ids its Slack messages mention (JSON array); null takes the default.
      ALTER TABLE tokens ADD COLUMN slack_mentions TEXT;
    `,
  },
];

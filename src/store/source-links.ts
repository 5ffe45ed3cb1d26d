// Owns token_sources: which source reported which token, under which id, with its last expiry, state and facts.
import { DateTime } from 'luxon';
import type { LinkUpdate, SourceLink, SourcedFacts, SourcedState } from '../domain/source-link';
import type { Db } from './database';
import { instant, Repository } from './repository';

interface LinkRow {
  source: string;
  source_id: string;
  token_id: number;
  name: string;
  expires_at: number | null;
  state: SourcedState;
  state_since: number;
  facts: string;
  gone_at: number | null;
}


function toLink(row: LinkRow): SourceLink {
  return {
    source: row.source,
    sourceId: row.source_id,
    tokenId: row.token_id,
    name: row.name,
    expiresAt: row.expires_at === null ? null : instant(row.expires_at),
    state: row.state,
    stateSince: instant(row.state_since),
    facts: JSON.parse(row.facts) as SourcedFacts,
    goneAt: row.gone_at === null ? null : instant(row.gone_at),
  };
}

export class SourceLinks extends Repository {
  constructor(db: Db) {
    super(db);
  }

  /** Every row, of every source. */
  all(): SourceLink[] {
    return (this.sql('SELECT * FROM token_sources ORDER BY source, source_id').all() as LinkRow[]).map(toLink);
  }

  forToken(tokenId: number): SourceLink[] {
    return (this.sql('SELECT * FROM token_sources WHERE token_id = ? ORDER BY source, source_id').all(tokenId) as LinkRow[]).map(toLink);
  }

  /** Records what the source says now; the row is listed again if it had gone. */
  upsert(update: LinkUpdate, now: DateTime): void {
    this.sql(
      `INSERT INTO token_sources (source, source_id, token_id, name, expires_at, state, state_since, facts, first_seen_at, last_seen_at, gone_at)
       VALUES (@source, @sourceId, @tokenId, @name, @expiresAt, @state, @stateSince, @facts, @now, @now, NULL)
       ON CONFLICT (source, source_id) DO UPDATE SET token_id = excluded.token_id, name = excluded.name,
         expires_at = excluded.expires_at, state = excluded.state, state_since = excluded.state_since,
         facts = excluded.facts, last_seen_at = excluded.last_seen_at, gone_at = NULL`,
    ).run({
      source: update.source,
      sourceId: update.sourceId,
      tokenId: update.tokenId,
      name: update.name,
      expiresAt: update.expiresAt?.toMillis() ?? null,
      state: update.state,
      stateSince: update.stateSince.toMillis(),
      facts: JSON.stringify(update.facts),
      now: now.toMillis(),
    });
  }

  /** The source no longer lists this id; the token stays registered. */
  markGone(source: string, sourceId: string, now: DateTime): void {
    this.sql('UPDATE token_sources SET gone_at = ? WHERE source = ? AND source_id = ? AND gone_at IS NULL').run(now.toMillis(), source, sourceId);
  }
}

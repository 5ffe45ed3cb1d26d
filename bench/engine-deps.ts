// The scan's parts for an in-process bench run on a registry file: the same settings `tokenwatch scan` builds.
import type { DateTime } from 'luxon';
import { fixedClock, systemClock } from '../src/clock';
import { leaseClaims } from '../src/engine/send-claims';
import type { EngineDeps, EngineSettings } from '../src/engine/engine-settings';
import { silentLogger } from '../src/log';
import type { Channel } from '../src/notify/channel';
import { openDatabase, type Db } from '../src/store/database';
import { Lease, newHolderId } from '../src/store/lease';
import { Outbox } from '../src/store/outbox';
import { TokenRepository } from '../src/store/token-repository';
import { ZONE } from './registry';

/** `digestMin` 0 (the default here): one message per token, as the delivery figures count messages. */
export function benchSettings(channels: ReadonlyMap<string, Channel>, digestMin = 0): EngineSettings {
  return {
    policy: { zone: ZONE, thresholds: [60, 30, 7], expiredRepeatDays: 7 },
    routing: { mailTo: [], slackChannel: null },
    enabled: { email: channels.has('email'), slack: channels.has('slack'), teams: channels.has('teams'), preview: channels.has('preview') },
    retry: { baseSeconds: 60, maxSeconds: 3600 },
    secrets: [],
    digestMin,
    sendWindow: null,
  };
}

/** One holder for the whole bench process: a later scan of the same file takes the lease its earlier scan left. */
const BENCH_HOLDER = newHolderId();

export function openScanDeps(file: string, channels: ReadonlyMap<string, Channel>, at: DateTime, digestMin = 0): EngineDeps & { db: Db } {
  const db = openDatabase(file);
  const outbox = new Outbox(db);
  // Sends under the sending lease, as `tokenwatch scan` does (claims cost what they cost in production).
  const lease = new Lease(db, BENCH_HOLDER, 600_000, { role: 'scan' });
  if (!lease.tryAcquire(systemClock.now())) throw new Error(`another process is sending for ${file}`);
  return {
    db,
    tokens: new TokenRepository(db),
    outbox,
    claims: leaseClaims(lease, outbox, systemClock),
    channels,
    clock: fixedClock(at),
    logger: silentLogger,
    settings: benchSettings(channels, digestMin),
  };
}

/**
 * A channel that accepts every message at once, counting them: the in-process scan timing measures tokenwatch, not
 * a mail server (delivery to real local servers is measured separately).
 */
export function acceptingChannel(name: 'email' | 'slack'): Channel & { readonly accepted: () => number } {
  let accepted = 0;
  return {
    name,
    send: () => {
      accepted += 1;
      return Promise.resolve();
    },
    verify: () => Promise.resolve(''),
    close: () => Promise.resolve(),
    accepted: () => accepted,
  };
}

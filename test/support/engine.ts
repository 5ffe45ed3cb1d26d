// Builds the real engine (SQLite file, outbox, registry) around the channels a test gives it, with a clock the test
// moves by hand.
import path from 'node:path';
import { DateTime } from 'luxon';
import { systemClock, type Clock } from '../../src/clock';
import { leaseClaims } from '../../src/engine/send-claims';
import type { ScanDeps, ScanSettings } from '../../src/engine/scan';
import type { Logger } from '../../src/log';
import { createMemoryLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { openDatabase, type Db } from '../../src/store/database';
import { Lease, newHolderId } from '../../src/store/lease';
import { Outbox } from '../../src/store/outbox';
import { TokenRepository } from '../../src/store/token-repository';
import type { TokenInput } from '../../src/domain/token';
import type { SendWindowPolicy } from '../../src/domain/send-window';

export interface ManualClock extends Clock {
  set(at: DateTime | string): void;
  advance(duration: { days?: number; hours?: number; minutes?: number; seconds?: number }): void;
}

export function manualClock(start: DateTime | string, zone = 'Europe/Paris'): ManualClock {
  const parse = (at: DateTime | string): DateTime => (typeof at === 'string' ? DateTime.fromISO(at, { zone }) : at).toUTC();
  let current = parse(start);
  return {
    now: () => current,
    set: (at) => {
      current = parse(at);
    },
    advance: (duration) => {
      current = current.plus(duration);
    },
  };
}

export interface TestEngine {
  readonly db: Db;
  readonly tokens: TokenRepository;
  readonly outbox: Outbox;
  readonly clock: ManualClock;
  readonly logger: Logger & { readonly lines: { level: string; event: string; fields: Record<string, unknown> }[] };
  readonly deps: ScanDeps;
  close(): void;
}

export interface EngineOptions {
  readonly zone?: string;
  readonly thresholds?: number[];
  readonly expiredRepeatDays?: number;
  readonly mailTo?: string[];
  readonly slackChannel?: string | null;
  readonly start?: string;
  readonly digestMin?: number;
  readonly sendWindow?: SendWindowPolicy | null;
}

export function defaultSettings(channels: ReadonlyMap<string, Channel>, options: EngineOptions = {}): ScanSettings {
  return {
    policy: { zone: options.zone ?? 'Europe/Paris', thresholds: options.thresholds ?? [60, 30, 7], expiredRepeatDays: options.expiredRepeatDays ?? 7 },
    routing: { mailTo: options.mailTo ?? ['admins@example.test'], slackChannel: options.slackChannel ?? '#mdm' },
    enabled: { email: channels.has('email'), slack: channels.has('slack'), preview: channels.has('preview') },
    retry: { baseSeconds: 60, maxSeconds: 3600 },
    secrets: [],
    digestMin: options.digestMin ?? 3,
    sendWindow: options.sendWindow ?? null,
  };
}

/**
 * The engine's scans send under their own lease row (not the daemons' one, so that a test can run daemons on the same
 * file), kept on the real clock for an hour: the test moves its own clock by days. One holder for the whole test
 * process, so that opening the engine again (a restart) takes the lease again.
 */
const ENGINE_LEASE = 'test-engine';
const ENGINE_HOLDER = newHolderId();

/** A real engine on `dir`/tokenwatch.db; open it again on the same dir to simulate a restart. */
export function openEngine(dir: string, channels: ReadonlyMap<string, Channel>, options: EngineOptions = {}): TestEngine {
  const db = openDatabase(path.join(dir, 'tokenwatch.db'));
  const tokens = new TokenRepository(db);
  const outbox = new Outbox(db);
  const clock = manualClock(options.start ?? '2027-01-01T09:00', options.zone ?? 'Europe/Paris');
  const logger = createMemoryLogger();
  const lease = new Lease(db, ENGINE_HOLDER, 3_600_000, { name: ENGINE_LEASE, role: 'scan' });
  if (!lease.tryAcquire(systemClock.now())) throw new Error('the test engine could not take its lease');
  const claims = leaseClaims(lease, outbox, systemClock);
  const deps: ScanDeps = { tokens, outbox, channels, claims, clock, logger, settings: defaultSettings(channels, options) };
  return { db, tokens, outbox, clock, logger, deps, close: () => db.close() };
}

export function tokenInput(name: string, expires: string, fields: Partial<TokenInput> = {}, zone = 'Europe/Paris'): TokenInput {
  return {
    name,
    kind: 'vpp',
    orgName: `${name} Org`,
    expiresAt: DateTime.fromISO(expires, { zone }).toUTC(),
    addedAt: DateTime.fromISO('2026-01-01T00:00:00Z'),
    appleId: null,
    orgGroup: null,
    email: null,
    slackChannel: null,
    thresholds: null,
    notes: null,
    fingerprint: null,
    ...fields,
  };
}

// The engine harness: the real engine (SQLite file, outbox, registry) around real channels pointed at the test's own
// SMTP receiver and local Slack server, with a clock the test moves by hand. Engine tests use `useEngineHarness`.
import path from 'node:path';
import { DateTime } from 'luxon';
import { systemClock, type Clock } from '../../src/clock';
import { leaseClaims } from '../../src/engine/send-claims';
import type { EngineDeps, EngineSettings } from '../../src/engine/engine-settings';
import type { Logger } from '../../src/log';
import { createMemoryLogger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { openDatabase, type Db } from '../../src/store/database';
import { Lease, newHolderId } from '../../src/store/lease';
import { Outbox } from '../../src/store/outbox';
import { TokenRepository } from '../../src/store/token-repository';
import { NO_OWN_CHOICES, type TokenInput } from '../../src/domain/token';
import type { SendWindowPolicy } from '../../src/domain/send-window';
import { testChannels } from './channels';
import { startFakeSlack, type FakeSlackServer } from './fake-slack-server';
import { startSmtpReceiver, type SmtpReceiver, type SmtpReceiverOptions } from './smtp-receiver';
import { makeTempDir, removeDir } from './temp-dir';

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
  readonly deps: EngineDeps;
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

export function defaultSettings(channels: ReadonlyMap<string, Channel>, options: EngineOptions = {}): EngineSettings {
  return {
    policy: { zone: options.zone ?? 'Europe/Paris', thresholds: options.thresholds ?? [60, 30, 7], expiredRepeatDays: options.expiredRepeatDays ?? 7 },
    routing: { mailTo: options.mailTo ?? ['admins@example.test'], slackChannel: options.slackChannel ?? '#mdm', teamsWebhook: 'mdm' },
    enabled: { email: channels.has('email'), slack: channels.has('slack'), teams: channels.has('teams'), preview: channels.has('preview') },
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
  const deps: EngineDeps = { tokens, outbox, channels, claims, clock, logger, settings: defaultSettings(channels, options) };
  return { db, tokens, outbox, clock, logger, deps, close: () => db.close() };
}

export function tokenInput(name: string, expires: string, fields: Partial<TokenInput> = {}, zone = 'Europe/Paris'): TokenInput {
  return {
    name,
    kind: 'vpp',
    orgName: `${name} Org`,
    expiresAt: DateTime.fromISO(expires, { zone }).toUTC(),
    downloadedAt: null,
    appleId: null,
    ...NO_OWN_CHOICES,
    fingerprint: null,
    mdm: 'workspace-one',
    topic: null,
    ...fields,
  };
}

/** The servers a harness starts before each test. */
export interface HarnessServers {
  readonly smtp: SmtpReceiver;
  readonly slack: FakeSlackServer | undefined;
}

export interface EngineHarnessOptions {
  /** Options of the SMTP receiver started before each test. */
  readonly smtp?: SmtpReceiverOptions;
  /** Start a local Slack server too, accepting this bot token. */
  readonly slackToken?: string;
  /** The channels of each test; by default email to the SMTP receiver and, with a Slack server, Slack to it. */
  readonly channels?: (servers: HarnessServers) => Map<string, Channel>;
  /** Open the engine before each test with these options; without them the test calls `open`. */
  readonly engine?: EngineOptions;
}

export interface EngineHarness {
  /** The test's own folder (the database file lives there), removed after the test. */
  readonly dir: string;
  readonly smtp: SmtpReceiver;
  /** The local Slack server; only with `slackToken`. */
  readonly slack: FakeSlackServer;
  /** The channels the engine sends through; a test may replace them (they are closed after the test). */
  channels: Map<string, Channel>;
  /** The engine opened last. */
  readonly engine: TestEngine;
  /** Opens the engine on the test's folder and channels, closing the one open first (a restart keeps the file). */
  open(options?: EngineOptions): TestEngine;
}

/**
 * Registers beforeEach/afterEach in the calling describe block: a fresh folder, an SMTP receiver (and a Slack server)
 * and channels before each test; the engine, channels, servers and folder closed and removed after it.
 */
export function useEngineHarness(options: EngineHarnessOptions = {}): EngineHarness {
  let state: { dir: string; smtp: SmtpReceiver; slack: FakeSlackServer | undefined; channels: Map<string, Channel> } | undefined;
  let engine: TestEngine | undefined;
  const current = () => {
    if (state === undefined) throw new Error('the engine harness is used outside a test');
    return state;
  };
  const harness: EngineHarness = {
    get dir() {
      return current().dir;
    },
    get smtp() {
      return current().smtp;
    },
    get slack() {
      const { slack } = current();
      if (slack === undefined) throw new Error('this harness has no Slack server: give it a slackToken');
      return slack;
    },
    get channels() {
      return current().channels;
    },
    set channels(channels) {
      current().channels = channels;
    },
    get engine() {
      if (engine === undefined) throw new Error('no engine is open: call open() first');
      return engine;
    },
    open(engineOptions = {}) {
      engine?.close();
      const { dir, channels } = current();
      engine = openEngine(dir, channels, engineOptions);
      return engine;
    },
  };
  beforeEach(async () => {
    const dir = makeTempDir();
    const smtp = await startSmtpReceiver(options.smtp);
    const slack = options.slackToken === undefined ? undefined : await startFakeSlack({ token: options.slackToken });
    const servers = { smtp, slack };
    state = { dir, smtp, slack, channels: options.channels?.(servers) ?? testChannels(smtp, slack) };
    if (options.engine !== undefined) harness.open(options.engine);
  });
  afterEach(async () => {
    engine?.close();
    engine = undefined;
    const { dir, smtp, slack, channels } = current();
    state = undefined;
    for (const channel of channels.values()) await channel.close();
    await smtp.close();
    await slack?.close();
    removeDir(dir);
  });
  return harness;
}

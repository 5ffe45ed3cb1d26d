// The engine's one settings object and its parts. Built once at start-up (cli/engine-setup.ts) and passed through
// as it is: planning reads its plan settings, a delivery pass its delivery settings.
import type { Clock } from '../clock';
import type { PlanSettings } from '../domain/plan-token';
import type { Logger } from '../log';
import type { Channel } from '../notify/channel';
import type { Outbox } from '../store/outbox';
import type { TokenRepository } from '../store/token-repository';
import type { DeliverySettings } from './deliver';
import type { SendClaims } from './send-claims';

export interface EngineSettings extends PlanSettings, DeliverySettings {}

/** The steps of a pass a progress bar shows: tokens planned, then reminders delivered (sent, to retry or failed). */
export type PassStep = 'planning' | 'sending';

/** Hears that `done` of `total` items of `step` are finished. */
export type OnProgress = (step: PassStep, done: number, total: number) => void;

/** What the engine works with: the registry, the outbox, the channels, the clock and the settings. */
export interface EngineDeps {
  readonly tokens: TokenRepository;
  readonly outbox: Outbox;
  readonly channels: ReadonlyMap<string, Channel>;
  /** Claims each message's rows under the sending lease this process holds (NO_CLAIMS for an engine that never sends). */
  readonly claims: SendClaims;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: EngineSettings;
  /** Asked before each send; true stops taking new work (shutdown). */
  readonly shouldStop?: () => boolean;
  /** Hears how far a pass is (a progress bar); nothing when absent. */
  readonly onProgress?: OnProgress;
}

// The engine's one entrance, used by the CLI commands and the daemon alike: scan, dry run, a delivery pass, and
// `retry` of deliveries that failed for good. Control goes one way: engine -> domain (plan) -> store -> channels.
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { parseAlertKey } from '../domain/alert';
import { smallestThresholdOf } from '../domain/plan-token';
import { alertRoutes, routesFor } from '../domain/routing';
import type { Logger } from '../log';
import type { Lease } from '../store/lease';
import { deliverDue, type DeliveryReport } from './deliver';
import type { EngineDeps, EngineSettings, OnProgress } from './engine-settings';
import { dryRun, scan, type PlannedReminder, type ScanReport } from './scan';
import { leaseClaims, type SendClaims } from './send-claims';

export interface PassOptions {
  /** Claims rows under this lease instead of the engine's own (the daemon sends under the lease it holds). */
  readonly claims?: SendClaims;
  /** Asked before each send; true stops taking new work (shutdown, lease lost). */
  readonly shouldStop?: () => boolean;
  /** Logs this pass's events here instead of the engine's logger. */
  readonly logger?: Logger;
  /** Hears how far the pass is: tokens planned, then messages' reminders delivered (a progress bar). */
  readonly onProgress?: OnProgress;
}

export interface RetryReport {
  /** Deliveries put back in the queue (failed ones requeued, unrouted ones routed). */
  readonly queued: number;
  /** Reminders that had no recipient and still have none. */
  readonly stillUnrouted: number;
}

export interface Engine {
  readonly settings: EngineSettings;
  /** Records what is due at `now` (the clock's time by default), then delivers what the outbox holds. */
  scan(options?: PassOptions & { readonly now?: DateTime }): Promise<ScanReport>;
  /** What a scan at `now` would queue; records nothing and sends nothing. */
  dryRun(now?: DateTime): PlannedReminder[];
  /** Sends what is due in the outbox (retries whose time has come, reminders whose send window opened). */
  deliverDue(options?: PassOptions): Promise<DeliveryReport>;
  /**
   * Queues again the deliveries of `tokenName` (or all) that failed for good, once their cause is fixed, and routes
   * reminders that had no recipient now that recipients may be configured. Sends nothing.
   */
  retry(tokenName?: string): RetryReport;
  /** When the next queued delivery is to be tried, or null when none is queued. */
  nextAttemptAt(): DateTime | null;
  /** Claims on this engine's outbox under `lease`, kept on `clock`. */
  claimsUnder(lease: Lease, clock: Clock): SendClaims;
}

export function createEngine(deps: EngineDeps): Engine {
  const withPass = ({ claims, shouldStop, logger, onProgress }: PassOptions): EngineDeps => ({
    ...deps,
    ...(claims === undefined ? {} : { claims }),
    ...(shouldStop === undefined ? {} : { shouldStop }),
    ...(logger === undefined ? {} : { logger }),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return {
    settings: deps.settings,
    scan: (options = {}) => scan(withPass(options), options.now ?? deps.clock.now()),
    dryRun: (now = deps.clock.now()) => dryRun(deps, now),
    deliverDue: (options = {}) => deliverDue(withPass(options)),
    retry: (tokenName) => retry(deps, tokenName),
    nextAttemptAt: () => deps.outbox.nextAttemptAt(),
    claimsUnder: (lease, clock) => leaseClaims(lease, deps.outbox, clock),
  };
}

function retry(deps: EngineDeps, tokenName: string | undefined): RetryReport {
  const { outbox, tokens, settings } = deps;
  const now = deps.clock.now();
  let queued = outbox.requeueFailed(now, tokenName);
  let stillUnrouted = 0;
  for (const entry of outbox.unroutedFailures(tokenName)) {
    const token = tokens.findByName(entry.tokenName);
    if (token === null || token.id !== entry.tokenId || token.expiresAt.toMillis() !== entry.expiresAt.toMillis()) {
      outbox.cancelFailed(entry.id, 'the token was removed or renewed since; nothing to send');
      continue;
    }
    const alert = parseAlertKey(entry.alert);
    const routes =
      alert === null
        ? routesFor(token, settings.routing, settings.enabled)
        : alertRoutes(token, alert, smallestThresholdOf(token, settings.policy.thresholds), settings.routing, settings.enabled);
    if (routes.length === 0) stillUnrouted += 1;
    else queued += outbox.reroute(entry, routes, now);
  }
  return { queued, stillUnrouted };
}

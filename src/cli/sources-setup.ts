// Wires the configured sources and what a sync needs from the CLI context.
import { systemClock, type Clock } from '../clock';
import { createIntuneSource } from '../sources/intune-source';
import { createJamfSource } from '../sources/jamf-source';
import type { Config } from '../config';
import type { Source } from '../sources/source';
import type { SyncDeps } from '../sources/sync';
import { createTokenFolderSource } from '../sources/token-folder-source';
import { Outbox } from '../store/outbox';
import { SourceLinks } from '../store/source-links';
import { SourceStatusStore } from '../store/source-status';
import type { CliContext } from './context';
import { routingSettings } from './engine-setup';

/**
 * The sources the configuration turns on, in the order they sync: the folder first (Apple reads its files), then
 * each Intune tenant and each Jamf Pro server. `clock` dates what the MDMs say relative to now.
 */
export function configuredSources(config: Config, clock: Clock = systemClock): Source[] {
  const sources: Source[] = [];
  if (config.tokenDir !== null) sources.push(createTokenFolderSource(config.tokenDir));
  // One request (quick retries included) is bounded like one message.
  const http = { clock, timeoutMs: config.sendTimeoutSeconds * 1000 };
  for (const tenant of config.intuneTenants) {
    sources.push(createIntuneSource({ ...tenant, graphUrl: config.graphUrl, loginUrl: config.azureLoginUrl }, http));
  }
  for (const server of config.jamfServers) sources.push(createJamfSource(server, http));
  return sources;
}

export function buildSyncDeps(ctx: CliContext, clock: Clock, sources: readonly Source[] = configuredSources(ctx.config)): SyncDeps {
  const config = ctx.config;
  const db = ctx.database;
  return {
    sources,
    tokens: ctx.tokens,
    links: new SourceLinks(db),
    status: new SourceStatusStore(db),
    outbox: new Outbox(db),
    clock,
    logger: ctx.logger,
    settings: { zone: config.zone, staleHours: config.sourceStaleHours, ...routingSettings(config), secrets: config.secrets },
  };
}

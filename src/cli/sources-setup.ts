// Wires the configured sources and what a sync needs from the CLI context. Each source's module is loaded only when
// the configuration turns that source on: a daemon without sources (the usual case) holds none of their code.
/* eslint-disable @typescript-eslint/no-require-imports -- the lazy loads below */
import { systemClock, type Clock } from '../clock';
import type { Config } from '../config';
import type { Source } from '../sources/source';
import type { SyncDeps } from '../sources/sync';
import { AppleChecks } from '../store/apple-checks';
import { Outbox } from '../store/outbox';
import { SourceLinks } from '../store/source-links';
import { SourceStatusStore } from '../store/source-status';
import type { CliContext } from './context';
import { routingSettings } from './engine-setup';

const intuneModule = (): typeof import('../sources/intune-source') => require('../sources/intune-source') as typeof import('../sources/intune-source');
const jamfModule = (): typeof import('../sources/jamf-source') => require('../sources/jamf-source') as typeof import('../sources/jamf-source');
const appleModule = (): typeof import('../sources/apple-source') => require('../sources/apple-source') as typeof import('../sources/apple-source');
const folderModule = (): typeof import('../sources/token-folder-source') =>
  require('../sources/token-folder-source') as typeof import('../sources/token-folder-source');
/* eslint-enable @typescript-eslint/no-require-imports */

/** The sources that need nothing but the configuration: the folder, each Intune tenant, each Jamf Pro server. */
function plainSources(config: Config, clock: Clock): { folder: Source | null; mdms: Source[] } {
  // One request (quick retries included) is bounded like one message.
  const http = { clock, timeoutMs: config.sendTimeoutSeconds * 1000 };
  const mdms: Source[] = [];
  for (const tenant of config.intuneTenants) {
    mdms.push(intuneModule().createIntuneSource({ ...tenant, graphUrl: config.graphUrl, loginUrl: config.azureLoginUrl }, http));
  }
  for (const server of config.jamfServers) mdms.push(jamfModule().createJamfSource(server, http));
  return { folder: config.tokenDir === null ? null : folderModule().createTokenFolderSource(config.tokenDir), mdms };
}

/** The names of the sources the configuration turns on, in the order they sync (without opening the database). */
export function configuredSourceNames(config: Config): string[] {
  const { folder, mdms } = plainSources(config, systemClock);
  return [
    ...(folder === null ? [] : [folder.name]),
    ...(folder !== null && config.appleCheck ? [appleModule().APPLE_SOURCE] : []),
    ...mdms.map((source) => source.name),
  ];
}

/**
 * The sources the configuration turns on, in the order they sync: the folder first (Apple reads its files), Apple,
 * then each Intune tenant and each Jamf Pro server. `clock` dates what the sources say relative to now.
 */
export function configuredSources(ctx: CliContext, clock: Clock = ctx.clock): Source[] {
  const config = ctx.config;
  const { folder, mdms } = plainSources(config, clock);
  const sources: Source[] = [];
  if (folder !== null && config.tokenDir !== null) {
    sources.push(folder);
    if (config.appleCheck) {
      sources.push(
        appleModule().createAppleSource({
          tokenDir: config.tokenDir,
          baseUrl: config.appleVppUrl,
          timeoutMs: config.sendTimeoutSeconds * 1000,
          checks: new AppleChecks(ctx.database),
          clock,
        }),
      );
    }
  }
  sources.push(...mdms);
  return sources;
}

export function buildSyncDeps(ctx: CliContext, clock: Clock, sources: readonly Source[] = configuredSources(ctx, clock)): SyncDeps {
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
    settings: { zone: config.zone, staleHours: config.sourceStaleHours, ...routingSettings(config), secrets: config.secrets, defaultMdm: config.mdm },
  };
}

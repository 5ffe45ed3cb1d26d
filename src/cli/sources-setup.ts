// Wires the configured sources and what a sync needs from the CLI context.
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Source } from '../sources/source';
import type { SyncDeps } from '../sources/sync';
import { createTokenFolderSource } from '../sources/token-folder-source';
import { Outbox } from '../store/outbox';
import { SourceLinks } from '../store/source-links';
import { SourceStatusStore } from '../store/source-status';
import type { CliContext } from './context';
import { routingSettings } from './engine-setup';

/** The sources the configuration turns on, in the order they sync: the folder first (Apple reads its files). */
export function configuredSources(config: Config): Source[] {
  const sources: Source[] = [];
  if (config.tokenDir !== null) sources.push(createTokenFolderSource(config.tokenDir));
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

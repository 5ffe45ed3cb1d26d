// The public surface for embedding tokenwatch in another Node.js program (the CLI is the usual way to run it).
export { loadConfig, type Config } from './config';
export { systemClock, fixedClock, type Clock } from './clock';
export { InputError, PermanentDeliveryError, RetryLaterError } from './errors';
export { parseTokenFile, type ParsedTokenFile } from './domain/token-file';
export { whatIsDue, type DueDecision, type DuePolicy } from './domain/due-reminders';
export { renderReminder } from './domain/reminder-content';
export type { Reminder, RenderedReminder } from './domain/reminder';
export type { Token, TokenInput, TokenKind } from './domain/token';
export { openDatabase } from './store/database';
export { TokenRepository } from './store/token-repository';
export { Outbox } from './store/outbox';
export { scan, dryRun, type ScanDeps, type ScanReport } from './engine/scan';
export { Daemon, type DaemonStatus } from './daemon/daemon';
export { startStatusServer, type StatusServer } from './http/server';
export { RegistryStats } from './store/registry-stats';
export { createChannels, closeChannels } from './notify/channels';
export type { Channel } from './notify/channel';

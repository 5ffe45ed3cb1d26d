// The configuration, as one import path (`src/config`): its shape, loading, parsers and the views other folders need.
export {
  formatAddress,
  type Config,
  type IntuneTenantSettings,
  type JamfServerSettings,
  type ListenAddress,
  type LogLevel,
  type MdmSourceSettings,
  type NamedWebhook,
  type TeamsWebhook,
} from './config';
export { DEFAULT_CONFIG_FILE, loadConfig, type LoadConfigOptions } from './load';
export { parseListenAddress } from './parsers';
export { loadStepLibrary } from './step-templates';
export {
  channelSettings,
  describeConfig,
  knownEnvironmentVariables,
  sendWindowPolicy,
  type ChannelSettings,
} from './views';

// A daemon with its HTTP server, as `tokenwatch daemon` wires them, on a real SQLite file, a real SMTP server and a
// local Slack-compatible server, with a clock the test moves by hand. The server listens on a free port.
import { once } from 'node:events';
import { Daemon } from '../../src/daemon/daemon';
import { Lease } from '../../src/store/lease';
import { trackRegistryGeneration } from '../../src/daemon/registry-generation';
import type { HttpAccess } from '../../src/http/exposure';
import { startStatusServer, type StatusServer } from '../../src/http/server';
import { silentLogger, type Logger } from '../../src/log';
import type { Channel } from '../../src/notify/channel';
import { createEmailChannel } from '../../src/notify/email-channel';
import { createSlackChannel } from '../../src/notify/slack-channel';
import { RegistryStats } from '../../src/store/registry-stats';
import { openEngine, type EngineOptions, type TestEngine } from './engine';
import { startFakeSlack, type FakeSlackServer } from './fake-slack-server';
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver';
import { createEngine } from '../../src/engine/engine';

export interface RunningStatusServer {
  readonly engine: TestEngine;
  readonly daemon: Daemon;
  readonly server: StatusServer;
  readonly smtp: SmtpReceiver;
  readonly slack: FakeSlackServer;
  /** GETs `path` from the server: status, content type and body. */
  get(path: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }>;
  /** Starts the daemon and resolves once it holds the lease and its first scan is done. */
  startAndScan(): Promise<void>;
  close(): Promise<void>;
}

export interface StatusServerOptions extends EngineOptions {
  readonly holder?: string;
  readonly schedule?: string;
  /** Who may read the page and /metrics (none asked by default). */
  readonly access?: HttpAccess;
  /** Where the server logs (silent by default). */
  readonly logger?: Logger;
}

export async function startStatusServerOn(dir: string, options: StatusServerOptions = {}): Promise<RunningStatusServer> {
  const smtp = await startSmtpReceiver();
  const slack = await startFakeSlack();
  const channels = new Map<string, Channel>([
    ['email', createEmailChannel({ smtpUrl: smtp.url, from: 'tokenwatch@example.test', pool: false, logger: silentLogger })],
    ['slack', createSlackChannel({ token: 'xoxb-test', apiUrl: slack.apiUrl, logger: silentLogger })],
  ]);
  const engine = openEngine(dir, channels, { mailTo: ['ops@example.test'], slackChannel: '#mdm', ...options });
  const policy = engine.deps.settings.policy;
  const daemon = new Daemon({
    engine: createEngine(engine.deps),
    lease: new Lease(engine.db, options.holder ?? 'host-a:1:a', 60_000),
    schedule: options.schedule ?? '0 9 * * *',
    zone: policy.zone,
    clock: engine.clock,
    logger: silentLogger,
    heartbeatMs: 50,
    retryCheckMs: 3_600_000,
  });
  const stats = new RegistryStats(engine.db);
  const server = await startStatusServer(
    { host: '127.0.0.1', port: 0 },
    {
      clock: engine.clock,
      policy,
      stats: () => stats,
      daemonStatus: () => daemon.status(),
      logger: options.logger ?? silentLogger,
      registryGeneration: trackRegistryGeneration(daemon),
      ...(options.access === undefined ? {} : { access: options.access }),
    },
  );
  return {
    engine,
    daemon,
    server,
    smtp,
    slack,
    async get(path, init) {
      const response = await fetch(new URL(path, server.url), init);
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
    },
    async startAndScan() {
      const scanned = once(daemon, 'scan:done');
      daemon.start();
      await scanned;
    },
    async close() {
      await server.close();
      await daemon.stop();
      for (const channel of channels.values()) await channel.close();
      engine.close();
      await smtp.close();
      await slack.close();
    },
  };
}

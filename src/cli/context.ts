// What every command shares: the validated config, the registry, the clock and the logger, opened on demand.
import type { Writable } from 'node:stream';
import type { Clock } from '../clock';
import { loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../log';
import { openDatabase, type Db } from '../store/database';
import { TokenRepository } from '../store/token-repository';
import type { CliIo } from './io';

export interface CliDeps {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly clock: Clock;
  /** Where log lines go; stderr by default. */
  readonly logDestination?: Writable;
  /** Whether stderr is a terminal: log lines are then readable lines instead of JSON. False when absent. */
  readonly isStderrTty?: boolean;
}

export class CliContext {
  private loadedConfig: Config | null = null;
  private db: Db | null = null;
  private repository: TokenRepository | null = null;
  private loadedLogger: Logger | null = null;
  private readonly closers: (() => void | Promise<void>)[] = [];

  constructor(
    readonly deps: CliDeps,
    private readonly configFile: () => string | undefined,
  ) {}

  get io(): CliIo {
    return this.deps.io;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get config(): Config {
    this.loadedConfig ??= loadConfig({ configFile: this.configFile(), env: this.deps.env, cwd: this.deps.cwd });
    return this.loadedConfig;
  }

  get logger(): Logger {
    this.loadedLogger ??= createLogger({
      level: this.config.logLevel,
      secrets: this.config.secrets,
      isPretty: this.deps.isStderrTty === true,
      ...(this.deps.logDestination === undefined ? {} : { destination: this.deps.logDestination }),
    });
    return this.loadedLogger;
  }

  /** The registry database, opened (and migrated) on first use. */
  get database(): Db {
    if (this.db === null) {
      const config = this.config;
      this.db = openDatabase(config.dbPath);
    }
    return this.db;
  }

  get tokens(): TokenRepository {
    this.repository ??= new TokenRepository(this.database);
    return this.repository;
  }

  /** Runs `close` when the command ends, last registered first. */
  onClose(close: () => void | Promise<void>): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await close();
    this.closers.length = 0;
    this.db?.close();
    this.db = null;
    this.repository = null;
  }
}

// What every command shares: the validated config, the registry, the clock and the logger, opened on demand.
import type { Writable } from 'node:stream';
import type { Clock } from '../clock';
import type { Config } from '../config/config';
import { loadConfig } from '../config/load';
import { createLogger, type Logger } from '../log';
import { openDatabase, type Db } from '../store/database';
import { TokenRepository } from '../store/token-repository';
import type { CliIo } from './io';
import { createProgress, type Progress } from './progress';

export interface CliDeps {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly clock: Clock;
  /** Where log lines go; stderr by default. */
  readonly logDestination?: Writable;
  /** Whether stderr is a terminal: log lines are then readable lines instead of JSON. False when absent. */
  readonly isStderrTty?: boolean;
  /**
   * Milliseconds on a monotonic clock, for progress bars; performance.now() by default (the global, which Node loads
   * on first use: importing node:perf_hooks would load it for every command, drawing a bar or not).
   */
  readonly monotonicMs?: () => number;
}

export class CliContext {
  private loadedConfig: Config | null = null;
  private db: Db | null = null;
  private repository: TokenRepository | null = null;
  private loadedLogger: Logger | null = null;
  private readonly closers: (() => void | Promise<void>)[] = [];
  /** Progress bars drawn now: a log line clears them first, so that it is not written after a bar's text. */
  private readonly bars = new Set<Progress>();

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
    if (this.loadedLogger === null) {
      const logger = createLogger({
        level: this.config.logLevel,
        secrets: this.config.secrets,
        isPretty: this.deps.isStderrTty === true,
        ...(this.deps.logDestination === undefined ? {} : { destination: this.deps.logDestination }),
      });
      this.loadedLogger = this.deps.isStderrTty === true ? this.clearingBars(logger) : logger;
    }
    return this.loadedLogger;
  }

  /**
   * A progress bar on stderr labelled `label` (`scanning`), drawn only when stderr is a terminal and only for work
   * lasting more than a couple of seconds. `finish()` it when the work ends (it is cleared when the command ends too).
   */
  progress(label: string): Progress {
    const bar = createProgress({
      isTty: this.deps.isStderrTty === true && this.io.progress !== undefined,
      write: (text) => this.io.progress?.(text),
      now: this.deps.monotonicMs ?? (() => performance.now()),
      label,
    });
    this.bars.add(bar);
    return {
      update: (done, total, step) => bar.update(done, total, step),
      interrupt: () => bar.interrupt(),
      finish: () => {
        bar.finish();
        this.bars.delete(bar);
      },
    };
  }

  /** `logger`, clearing any bar drawn before each line (the bar is drawn again by its next update). */
  private clearingBars(logger: Logger): Logger {
    const at =
      (level: keyof Logger): Logger[keyof Logger] =>
      (event, fields) => {
        for (const bar of this.bars) bar.interrupt();
        logger[level](event, fields);
      };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
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
    for (const bar of this.bars) bar.finish();
    this.bars.clear();
    for (const close of this.closers.reverse()) await close();
    this.closers.length = 0;
    this.db?.close();
    this.db = null;
    this.repository = null;
  }
}

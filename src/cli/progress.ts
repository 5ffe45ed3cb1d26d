// A progress bar on stderr for work that takes more than a couple of seconds (a large import, a first scan of a large
// registry, a sync), drawn only when stderr is a terminal: a pipe, a log file or a service manager get nothing.
// Redrawn at most ten times a second; a log line written meanwhile first clears the bar (interrupt), so the terminal
// shows whole log lines and the bar below them.

export interface Progress {
  /** `done` of `total` items are finished; `label` names the step when it differs from the bar's own (`sending`). */
  update(done: number, total: number, label?: string): void;
  /** Clears the bar's line for other output (a log line); the next update draws it again at once. */
  interrupt(): void;
  /** Clears the bar's line, if one was drawn. */
  finish(): void;
}

export interface ProgressOptions {
  /** Whether the bar's stream is a terminal; nothing is drawn otherwise. */
  readonly isTty: boolean;
  /** Writes to the terminal as is (no newline added). */
  readonly write: (text: string) => void;
  /** Milliseconds on a monotonic clock. */
  readonly now: () => number;
  /** What is being done: `importing`. */
  readonly label: string;
  /** The bar appears only once the work has lasted this long; 2000 ms by default. */
  readonly delayMs?: number;
  /** Characters of the bar itself; 30 by default. */
  readonly width?: number;
}

const REDRAW_MS = 100;

export function createProgress(options: ProgressOptions): Progress {
  const started = options.now();
  const delay = options.delayMs ?? 2000;
  const width = options.width ?? 30;
  let drawnAt: number | null = null;
  let lineLength = 0;
  const clear = (): void => {
    if (drawnAt === null) return;
    options.write(`\r${' '.repeat(lineLength)}\r`);
    drawnAt = null;
    lineLength = 0;
  };
  return {
    update(done: number, total: number, label = options.label): void {
      if (!options.isTty || total <= 0) return;
      const at = options.now();
      if (at - started < delay) return;
      if (drawnAt !== null && at - drawnAt < REDRAW_MS && done < total) return;
      const ratio = Math.min(1, Math.max(0, done / total));
      const filled = Math.round(ratio * width);
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
      options.write(`\r${line.padEnd(lineLength)}`);
      lineLength = line.length;
      drawnAt = at;
    },
    interrupt: clear,
    finish: clear,
  };
}

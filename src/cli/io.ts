// Where the CLI writes: injected so tests run commands in-process and read what they print.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Writes to stderr as is, without a newline (a progress bar redrawing its line); nothing when absent. */
  progress?(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  progress: (text) => process.stderr.write(text),
};

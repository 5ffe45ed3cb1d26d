// What a command asks the process to exit with, beyond success or a thrown error (e.g. scan: 1 when a delivery failed).
export interface CommandResult {
  exitCode: number;
}

#!/usr/bin/env node
// Entry point of the `tokenwatch` binary.
import { systemClock } from '../clock';
import { processIo } from './io';
import { runCli } from './program';

// Everything tokenwatch creates (database, preview files) is readable by the owner only.
process.umask(0o077);

runCli(process.argv.slice(2), {
  io: processIo,
  env: process.env,
  cwd: process.cwd(),
  clock: systemClock,
  isStderrTty: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tokenwatch: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exitCode = 1;
  },
);

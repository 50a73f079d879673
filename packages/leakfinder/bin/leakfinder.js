#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// main() handles the first Ctrl-C (stop, write the report, exit 2). These listeners cover the rest: a
// second Ctrl-C during a run exits at once (the server is still ended, by the watchdog), and a signal after
// main() returned keeps the run's exit code.
let exitCode;
let signals = 0;
const onSignal = () => {
  signals += 1;
  if (exitCode !== undefined) process.exit(exitCode);
  if (signals >= 2) {
    process.stderr.write('leakfinder: interrupted twice: exiting now, without the report.\n');
    process.exit(2);
  }
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

exitCode = await main(process.argv.slice(2));
process.exitCode = exitCode;
// Exit as soon as stdout and stderr are flushed. Left to wind down by itself, Node closes its signal
// watchers first, and a Ctrl-C landing in that window killed the process with 130 after a complete report.
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);

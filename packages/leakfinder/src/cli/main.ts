import { inspect } from 'node:util';
import { LeakfinderError } from '../errors.js';
import { tool } from '../version.js';
import type { CliIo } from './command.js';
import { commands } from './commands/index.js';
import { ExitCode } from './exit-code.js';

const version = tool.version;

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `leakfinder ${version}: find memory leaks in Node.js servers`,
    '',
    'Usage: leakfinder <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `leakfinder <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI and returns the exit code; the sole user of argv, exit codes and the TTY.
 * Expected failures print one line (`--verbose` adds the cause chain); bugs print the stack.
 */
export async function main(argv: readonly string[], ioOverrides: Partial<CliIo> = {}): Promise<ExitCode> {
  const controller = new AbortController();
  const onSignal = (): void => {
    controller.abort(new LeakfinderError('LF_ABORTED', 'interrupted: stopped the run, kept what was measured.'));
  };
  const ownSignals = ioOverrides.signal === undefined;
  if (ownSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
  }
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTty: process.stderr.isTTY === true,
    signal: controller.signal,
    cwd: process.cwd(),
    env: process.env,
    ...ioOverrides,
  };
  const verbose = argv.includes('--verbose');
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(helpText());
      return name === undefined ? ExitCode.NoVerdict : ExitCode.Ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${version}\n`);
      return ExitCode.Ok;
    }
    const command = commands.find((c) => c.name === name);
    if (command === undefined) {
      throw new LeakfinderError(
        'LF_OPTION_INVALID',
        `unknown command \`${name}\`; expected one of ${commands.map((c) => c.name).join(', ')} (see \`leakfinder --help\`).`,
        { usage: true },
      );
    }
    if (rest[0] === '--help' || rest[0] === '-h') {
      io.stdout.write(command.usage);
      return ExitCode.Ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (LeakfinderError.is(error)) {
      io.stderr.write(`leakfinder: ${error.message}\n`);
      if (verbose) {
        for (let cause = error.cause; cause !== undefined; cause = (cause as { cause?: unknown }).cause) {
          io.stderr.write(`  caused by: ${inspect(cause)}\n`);
          if (typeof cause !== 'object' || cause === null) break;
        }
      }
    } else {
      io.stderr.write(`leakfinder: internal error, please report it\n${inspect(error)}\n`);
    }
    return ExitCode.NoVerdict;
  } finally {
    if (ownSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    }
  }
}

import type { ExitCode } from './exit-code.js';

/** Where a command writes; tests pass their own streams, `main` passes the process's. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal: progress lines are shown only then. */
  readonly stderrIsTty: boolean;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM): commands stop, keep what they have, and exit 2. */
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** One CLI command: `cli/commands/<name>.ts` exports one of these. */
export interface Command {
  readonly name: string;
  /** One line for `leakfinder --help`. */
  readonly summary: string;
  /** The full `leakfinder <name> --help` text. */
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}

/**
 * The one error class of leakfinder, with stable codes. Every code has a section in docs/errors.md;
 * `errors.test.ts` keeps the two in sync.
 */
export const errorCodes = [
  'LF_OPTION_INVALID', // the caller passed a bad option or flag
  'LF_FILE_NOT_FOUND', // a named file or directory does not exist
  'LF_FILE_UNREADABLE', // a named path exists but cannot be read as a file (a directory, no permission)
  'LF_SNAPSHOT_MALFORMED', // not a V8 heap snapshot, or cut short
  'LF_SNAPSHOT_UNSUPPORTED', // a heap snapshot whose meta section this version cannot read
  'LF_TARGET_START_FAILED', // the server command could not be started, or exited during startup
  'LF_TARGET_NOT_READY', // the server never accepted connections within the startup timeout
  'LF_TARGET_EXITED', // the server died before the run ended
  'LF_INSPECTOR_FAILED', // the inspector connection failed or a protocol call returned an error
  'LF_TIMEOUT', // an operation took longer than its time limit
  'LF_ABORTED', // the run was cancelled (Ctrl-C or an AbortSignal)
  'LF_WRITE_FAILED', // a report or snapshot file could not be written (full disk, permissions)
  'LF_LINT_NO_FILES', // `lint` found no file it could parse
  'LF_DISK_SPACE_SHORT', // the preflight found too little free disk space for the heap snapshots to come
  'LF_MEMORY_SHORT', // the preflight found too little free memory to read a heap snapshot
  'LF_OUTPUT_REFUSED', // an output path would overwrite an input, a snapshot or a file that is not ours
  'LF_SCENARIO_FAILED', // a `--scenario` file could not be loaded, or its setup threw
  'LF_REPORT_INVALID', // a report given to `compare` or `check --baseline` is not a leakfinder check report
  'LF_GC_UNAVAILABLE', // leakfinder/assert found no way to force a full garbage collection
  'LF_ATTACH_FAILED', // `watch` could not attach to the running process (no such pid, not Node, another user, no inspector)
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const kLeakfinderError = Symbol.for('leakfinder.error');

/** An expected failure: bad input, a server that died, a timeout. The CLI prints its message as one line. */
export class LeakfinderError extends Error {
  override name = 'LeakfinderError';
  readonly code: ErrorCode;
  /** True when the user can fix it (bad flag, missing file): the CLI prints no stack then. */
  readonly isUsageError: boolean;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; usage?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.isUsageError = options.usage ?? false;
  }
  /** Works across two installed copies (CLI + test helper), unlike `instanceof`. */
  static is(value: unknown): value is LeakfinderError {
    return typeof value === 'object' && value !== null && kLeakfinderError in value;
  }
}
Object.defineProperty(LeakfinderError.prototype, kLeakfinderError, { value: true });

/** A bad option or flag: `usageError('`--requests` must be an integer ≥ 1, got 0.')`. */
export function usageError(message: string): LeakfinderError {
  return new LeakfinderError('LF_OPTION_INVALID', message, { usage: true });
}

import { LeakfinderError, type ErrorCode } from '../errors.js';
import type { CheckReport } from '../report/model.js';

/** Where a `check` run was when it ended: named in the report of an interrupted or failed run. */
export type RunPhase = 'startup' | 'warm-up' | 'measuring' | 'sessions' | 'analysis';

const phaseText: Record<RunPhase, string> = {
  startup: 'while starting the server',
  'warm-up': 'during the warm-up',
  measuring: 'while measuring',
  sessions: 'during the session check',
  analysis: 'during the final analysis',
};

/** How a run that did not reach a verdict ended: why, and where. The report's `interruption` field. */
export interface Interruption {
  /** The `LF_*` code of the error that ended the run (docs/errors.md), or `internal-error` for a bug. */
  readonly code: ErrorCode | 'internal-error';
  readonly phase: RunPhase;
}

/**
 * The `reason` of a run that broke off: what happened, when, and what is kept, e.g. `interrupted (Ctrl-C or
 * a signal) during the warm-up; 0 checkpoints were measured` or `… 3 checkpoint(s) were measured and the
 * snapshots kept in /tmp/leakfinder-x`.
 */
export function brokenRunReason(what: string, checkpointCount: number, directory: string): string {
  return checkpointCount === 0
    ? `${what}; no checkpoint was measured`
    : `${what}; ${checkpointCount} checkpoint(s) were measured and the snapshots kept in ${directory}`;
}

/** What broke a run off, as one phrase for {@link brokenRunReason}, and the code to report. */
export function describeFailure(error: unknown, phase: RunPhase): { what: string; code: Interruption['code'] } {
  const code = LeakfinderError.is(error) ? error.code : 'internal-error';
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  if (code === 'LF_ABORTED') return { what: `interrupted (Ctrl-C or a signal) ${phaseText[phase]}`, code };
  return { what: `stopped ${phaseText[phase]}: ${message}`, code };
}

const partialReports = new WeakMap<object, CheckReport>();

/**
 * Attaches the report of what was measured to the error that ended the run, so the CLI can write it
 * (`--json`, stdout) before it prints the error's one line and exits 2. Returns the error to rethrow.
 */
export function withPartialReport(error: unknown, report: CheckReport): unknown {
  if (typeof error === 'object' && error !== null) partialReports.set(error, report);
  return error;
}

/**
 * The report a failed `check()` rejected with, if the run had started: verdict `inconclusive`, a `reason`,
 * the checkpoints measured so far and the folder of the kept snapshots. `undefined` for bad options.
 */
export function partialReportOf(error: unknown): CheckReport | undefined {
  return typeof error === 'object' && error !== null ? partialReports.get(error) : undefined;
}

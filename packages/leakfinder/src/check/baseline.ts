/**
 * Proof of a fix (#16): reading a saved `check` report (the baseline, or the later run for `compare`) and
 * comparing it with a later run. The pairing rules are in detect/compare-findings.ts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compareFindings } from '../detect/compare-findings.js';
import type { Finding } from '../detect/finding.js';
import { LeakfinderError } from '../errors.js';
import type { CheckReport, ReportComparison } from '../report/model.js';

/**
 * Reads and checks a `leakfinder check --json` report. Rejects with `LF_FILE_NOT_FOUND` (no such file),
 * `LF_FILE_UNREADABLE` (a folder, no permission) or `LF_REPORT_INVALID` (anything but a leakfinder check
 * report of schemaVersion 1), each in one line naming the file; `what` says which argument it was.
 */
export async function readCheckReport(path: string, cwd: string, what: string): Promise<CheckReport> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LeakfinderError('LF_FILE_NOT_FOUND', `${what} ${file} does not exist.`, { usage: true, cause: error });
    throw new LeakfinderError('LF_FILE_UNREADABLE', `${what} ${file} cannot be read: ${(error as Error).message}.`, { usage: true, cause: error });
  }
  const invalid = (why: string): LeakfinderError =>
    new LeakfinderError('LF_REPORT_INVALID', `${what} ${file} is not a leakfinder check report (${why}); give the file that \`leakfinder check --json <file>\` wrote.`, { usage: true });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(`not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('not a JSON object');
  const r = raw as Record<string, unknown>;
  if ((r.tool as { name?: unknown } | undefined)?.name !== 'leakfinder') throw invalid('no `"tool": {"name": "leakfinder"}`');
  if (r.command !== 'check') throw invalid(`it is a \`${String(r.command)}\` report`);
  if (r.schemaVersion !== 1) throw invalid(`schemaVersion ${JSON.stringify(r.schemaVersion)}, this version reads 1`);
  if (!['leak', 'clean', 'inconclusive'].includes(r.verdict as string)) throw invalid(`verdict ${JSON.stringify(r.verdict)}`);
  if (!Array.isArray(r.findings)) throw invalid('no `findings` array');
  r.findings.forEach((f: unknown, i) => {
    const x = f as Partial<Finding> | null;
    if (typeof x !== 'object' || x === null || typeof x.className !== 'string' || typeof x.group !== 'string' || typeof x.countPerRequest !== 'number') {
      throw invalid(`findings[${i}] lacks className, group or countPerRequest`);
    }
  });
  return raw as CheckReport;
}

/** The comparison of a baseline report with a later run's report. */
export function compareReports(baselinePath: string, baseline: CheckReport, after: CheckReport): ReportComparison {
  const entries = compareFindings(baseline.findings, after.findings);
  const count = (status: string): number => entries.filter((e) => e.status === status).length;
  const summary = { fixed: count('fixed'), smaller: count('smaller'), stillLeaking: count('still leaking'), new: count('new') };
  // A run without a verdict proves nothing: its missing findings are not fixes.
  const noVerdict = baseline.verdict === 'inconclusive' || after.verdict === 'inconclusive';
  const result = noVerdict ? 'no verdict' : summary.smaller + summary.stillLeaking + summary.new > 0 ? 'fail' : 'pass';
  return { baseline: baselinePath, baselineVerdict: baseline.verdict, verdict: after.verdict, entries, summary, result };
}

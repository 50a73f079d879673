/** The `--json` / `--format json` text of an analyze or diff report (contract: schemaVersion 1). */
import type { AnalysisReport } from '../snapshot/analysis-report.js';

/** Pretty-printed JSON with a trailing newline. */
export function renderAnalysisJson(report: AnalysisReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export { LeakfinderError, usageError, errorCodes, type ErrorCode } from './errors.js';
export { formatBytes, formatCount, formatDurationMs } from './units.js';
export { analyze, diff, type AnalyzeOptions } from './analyze/analyze.js';
export type { AnalysisReport, ClassEntry, GrowthEntry, NewObjectGroup } from './snapshot/analysis-report.js';
export { check, checkDefaults, resolveCheckOptions, type CheckOptions } from './check/check.js';
export type { CheckReport, CheckpointRow, Verdict, ByStatus } from './report/model.js';
export type { Finding, FindingKind, FindingHolder, SourceSite } from './detect/finding.js';
export { renderCheckTerminal } from './report/check-terminal.js';
export { renderCheckJson } from './report/check-json.js';

export { LeakfinderError, usageError, errorCodes, type ErrorCode } from './errors.js';
export { formatBytes, formatCount, formatDurationMs } from './units.js';
export { analyze, diff, type AnalyzeOptions } from './analyze.js';
export type { AnalysisReport, ClassEntry, GrowthEntry, NewObjectGroup } from './snapshot/analysis-report.js';

export { LeakfinderError, usageError, errorCodes, type ErrorCode } from './errors.js';
export { formatBytes, formatCount, formatDurationMs } from './units.js';

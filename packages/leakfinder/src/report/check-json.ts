import type { CheckReport } from './model.js';

/** The contract's `check --json` text (schemaVersion 1), two-space indented, newline-terminated. */
export function renderCheckJson(report: CheckReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

import { relative } from 'node:path';
import type { LintFileResult } from './run-lint.js';

/**
 * ESLint's "stylish" layout without colours: each file with problems, then `line:column  error  message  rule`,
 * then a one-line total. Paths are relative to `cwd`.
 */
export function formatLintText(results: readonly LintFileResult[], cwd: string): string {
  const lines: string[] = [];
  let problems = 0;
  let unparsable = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    lines.push(relative(cwd, result.filePath) || result.filePath);
    const width = Math.max(...result.messages.map((m) => `${m.line}:${m.column}`.length));
    for (const m of result.messages) {
      problems++;
      const position = `${m.line}:${m.column}`.padEnd(width);
      lines.push(`  ${position}  error  ${m.message}${m.ruleId === null ? '' : `  ${m.ruleId}`}`);
    }
    lines.push('');
    if (result.parseError !== null) unparsable++;
  }
  const fileCount = `${results.length} file${results.length === 1 ? '' : 's'} linted`;
  if (problems === 0) return `${fileCount}, no problems.\n`;
  const parseNote = unparsable === 0 ? '' : `, ${unparsable} file${unparsable === 1 ? '' : 's'} could not be parsed`;
  lines.push(`✖ ${problems} problem${problems === 1 ? '' : 's'} (${fileCount}${parseNote})`);
  return `${lines.join('\n')}\n`;
}

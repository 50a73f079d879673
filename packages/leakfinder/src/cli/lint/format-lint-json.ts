import { relative } from 'node:path';
import { tool } from '../../version.js';
import type { LintFileResult } from './run-lint.js';

/**
 * The `lint --format json` report: the same envelope as the other commands (schemaVersion, tool, command),
 * one entry per finding and per file that could not be parsed. Paths are relative to `cwd`, with `/`.
 */
export function formatLintJson(results: readonly LintFileResult[], cwd: string): string {
  const path = (file: string): string => relative(cwd, file).split('\\').join('/');
  const findings = results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId !== null).map((m) => ({ file: path(r.filePath), ...m })),
  );
  const parseErrors = results.flatMap((r) =>
    r.parseError === null ? [] : [{ file: path(r.filePath), message: r.parseError.message, line: r.parseError.line, column: r.parseError.column }],
  );
  const report = {
    schemaVersion: 1,
    tool: { name: tool.name, version: tool.version },
    command: 'lint',
    summary: {
      filesLinted: results.length - parseErrors.length,
      filesUnparsable: parseErrors.length,
      findingCount: findings.length,
    },
    findings,
    parseErrors,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tool } from '../../version.js';
import type { LintFileResult, LintRuleInfo } from './run-lint.js';

/**
 * A SARIF 2.1.0 log that GitHub code scanning accepts: the rules in `tool.driver.rules` (id, description,
 * help URL), one result per finding with a location relative to `%SRCROOT%` (= `cwd`), and files that could
 * not be parsed as error notifications of the run.
 */
export function formatLintSarif(results: readonly LintFileResult[], rules: readonly LintRuleInfo[], cwd: string): string {
  const uri = (file: string): string => relative(cwd, file).split(sep).map(encodeURIComponent).join('/');
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const region = (m: { line: number; column: number; endLine?: number; endColumn?: number }) => ({
    startLine: Math.max(1, m.line),
    startColumn: Math.max(1, m.column),
    ...(m.endLine === undefined ? {} : { endLine: m.endLine }),
    ...(m.endColumn === undefined ? {} : { endColumn: m.endColumn }),
  });
  const location = (file: string, m: { line: number; column: number; endLine?: number; endColumn?: number }) => ({
    physicalLocation: { artifactLocation: { uri: uri(file), uriBaseId: '%SRCROOT%' }, region: region(m) },
  });
  const sarifResults = results.flatMap((r) =>
    r.messages
      .filter((m) => m.ruleId !== null)
      .map((m) => ({
        ruleId: m.ruleId!,
        ...(ruleIndex.has(m.ruleId!) ? { ruleIndex: ruleIndex.get(m.ruleId!)! } : {}),
        level: 'error',
        message: { text: m.message },
        locations: [location(r.filePath, m)],
      })),
  );
  const notifications = results.flatMap((r) =>
    r.parseError === null
      ? []
      : [{ level: 'error', descriptor: { id: 'parse-error' }, message: { text: r.parseError.message }, locations: [location(r.filePath, r.parseError)] }],
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            informationUri: 'https://github.com/leakfinder/leakfinder',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/^leakfinder\//, ''),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              helpUri: r.url,
              help: { text: `${r.description}. See ${r.url}`, markdown: `${r.description}. [Rule documentation](${r.url})` },
              defaultConfiguration: { level: 'error' },
              properties: { tags: ['memory-leak', 'reliability'], precision: 'high', 'problem.severity': 'error' },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

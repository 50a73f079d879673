import { resolve } from 'node:path';
import { compareReports, readCheckReport } from '../../check/baseline.js';
import { usageError } from '../../errors.js';
import { renderComparisonLines } from '../../report/comparison-terminal.js';
import { renderHtml } from '../../report/html/render-html.js';
import type { ReportComparison } from '../../report/model.js';
import { tool } from '../../version.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { assertOutputPaths, writeFileAtomically } from '../output-paths.js';

const usage = `Usage: leakfinder compare <before.json> <after.json> [options]

Proof of a fix: compares two \`leakfinder check --json\` reports, one from before the fix and one from after.
Each finding of the baseline is
  fixed           not found any more
  smaller         still there, its objects per request down to at most 0.75 of before (the ratio is shown)
  still leaking   still there at more than 0.75 of before
and each finding that was not in the baseline is "new".
Findings are matched by class and retainer signature (script ids and array indices removed, as they change
between processes); a leak that moved holder is matched by class and creation site, then by class and holder.
Reads the two files and writes nothing but --json and --html.

  leakfinder check --json before.json -- node server.js
  # fix the leak
  leakfinder check --json after.json -- node server.js
  leakfinder compare before.json after.json

Exit 0 when every baseline leak is fixed and nothing new leaks, 1 when a baseline leak remains (smaller or
not) or a new one appears, 2 when either run was inconclusive or a file is not a check report.
\`leakfinder check --baseline before.json -- node server.js\` does both steps in one.

Options:
  --json <file>      also write the comparison as JSON to <file>
  --html <file>      also write the later report as an HTML page, with the comparison at its top
  --format <fmt>     text (default) or json, on stdout
  --verbose          on failure, also print the cause
`;

/** `leakfinder compare`: what became of a baseline's leaks in a later run (#16). */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'proof of a fix: which leaks of a baseline report are fixed, smaller, still there, or new',
  usage,
  async run(args: readonly string[], io: CliIo) {
    const { values, positionals } = parseCommandArgs('compare', args, { json: { type: 'string' }, html: { type: 'string' }, format: { type: 'string' } });
    if (positionals.length !== 2) {
      throw usageError(`compare: name exactly two check reports, before and after; got ${positionals.length} (see \`leakfinder compare --help\`).`);
    }
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw usageError(`\`--format\` must be text or json, got ${JSON.stringify(format)}.`);
    const [beforePath, afterPath] = positionals as [string, string];
    assertOutputPaths(
      [
        { flag: '--json', path: values.json, kind: 'json' },
        { flag: '--html', path: values.html, kind: 'html' },
      ],
      [beforePath, afterPath],
      io.cwd,
    );
    const before = await readCheckReport(beforePath, io.cwd, 'the baseline');
    const after = await readCheckReport(afterPath, io.cwd, 'the later report');
    const comparison = compareReports(beforePath, before, after);
    const json = renderCompareJson(comparison, afterPath);
    io.stdout.write(format === 'json' ? json : `leakfinder compare: ${beforePath} → ${afterPath}\n${renderComparisonLines(comparison).join('\n')}\n`);
    if (values.json !== undefined) await writeFileAtomically(resolve(io.cwd, values.json), json);
    if (values.html !== undefined) {
      // The later run's page, with what became of the baseline's leaks in its "Against the baseline" section.
      await writeFileAtomically(resolve(io.cwd, values.html), renderHtml({ ...after, comparison }, { title: `leakfinder compare: ${comparison.result}` }));
    }
    return comparison.result === 'pass' ? ExitCode.Ok : comparison.result === 'fail' ? ExitCode.Found : ExitCode.NoVerdict;
  },
};

/** `compare --json`: `{schemaVersion, tool, command: "compare", after, comparison}`. */
function renderCompareJson(comparison: ReportComparison, afterPath: string): string {
  return `${JSON.stringify({ schemaVersion: 1, tool, command: 'compare', after: afterPath, comparison }, null, 2)}\n`;
}

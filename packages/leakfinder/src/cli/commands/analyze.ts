import { resolve } from 'node:path';
import { analyze, type AnalyzeOptions } from '../../analyze/analyze.js';
import { usageError } from '../../errors.js';
import { renderAnalysisJson } from '../../report/analysis-json.js';
import { renderAnalysisText } from '../../report/analysis-terminal.js';
import { renderHtml } from '../../report/html/render-html.js';
import type { AnalysisReport } from '../../snapshot/analysis-report.js';
import { parseCommandArgs, parseIntegerFlag } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { assertMemoryFor } from '../../snapshot/memory-need.js';
import { assertOutputPaths, writeFileAtomically } from '../output-paths.js';

const usage = `Usage: leakfinder analyze <file.heapsnapshot> [more.heapsnapshot ...] [options]

One file: the top classes by retained size, each with one retainer path.
Several files, in the order they were taken: also the classes whose count or retained size grows at
every step (exit code 1 if any, 0 if none).

Options:
  --top <n>          rows in the class table (default 20)
  --json <file>      also write the report as JSON (schemaVersion 1) to <file>
  --html <file>      also write one self-contained HTML page: the class table sortable and filterable (with
                     --top 10000 it holds 10,000 classes, paged), a retainer path per class, and the growth
                     table of several files; opens from disk, fetches nothing
  --format <fmt>     text (default) or json, on stdout
  --show-values      print data-like property names (ids, tokens) in paths instead of <key>
  --verbose          on failure, also print the cause
`;

/** Flags shared by analyze and diff. */
export const analysisFlags = {
  top: { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  format: { type: 'string' },
  'show-values': { type: 'boolean' },
} as const;

/** Validated output flags of analyze/diff. */
export interface AnalysisOutput {
  readonly format: 'text' | 'json';
  readonly jsonPath: string | undefined;
  readonly htmlPath: string | undefined;
}

/** Reads --format/--json/--top/--show-values. */
export function readAnalysisFlags(
  command: string,
  values: { top?: string; json?: string; html?: string; format?: string; 'show-values'?: boolean },
): { output: AnalysisOutput; options: Pick<AnalyzeOptions, 'top' | 'showValues'> } {
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw usageError(`${command}: \`--format\` must be text or json, got ${JSON.stringify(format)}.`);
  }
  const top = parseIntegerFlag('top', values.top, 1, 10_000);
  return {
    output: { format, jsonPath: values.json, htmlPath: values.html },
    options: { ...(top === undefined ? {} : { top }), showValues: values['show-values'] ?? false },
  };
}

/**
 * Before any file is read: the outputs may name no input, snapshot or foreign file, and there must be memory
 * enough to read the biggest input (both shared by analyze and diff).
 */
export function preflightAnalysis(output: AnalysisOutput, inputs: readonly string[], io: CliIo): void {
  assertOutputPaths(
    [
      { flag: '--json', path: output.jsonPath, kind: 'json' },
      { flag: '--html', path: output.htmlPath, kind: 'html' },
    ],
    inputs,
    io.cwd,
  );
  assertMemoryFor(inputs.map((p) => resolve(io.cwd, p)), io.env);
}

/** Progress on stderr, only when it is a terminal: one rewritten line. */
export function progressPrinter(io: CliIo): AnalyzeOptions['onProgress'] {
  if (!io.stderrIsTty) return undefined;
  let lastLine = '';
  return ({ file, fileIndex, fileCount, step }) => {
    const percent = step.total > 0 ? Math.floor((100 * step.done) / step.total) : 0;
    const which = fileCount > 1 ? ` (${fileIndex + 1}/${fileCount})` : '';
    const line = `${step.phase === 'read' ? `reading ${percent}%` : step.phase} ${file}${which}`;
    if (line === lastLine) return;
    lastLine = line;
    io.stderr.write(`\r\x1b[K${line}`);
  };
}

/** Prints the report and writes `--json <file>` through a temp name, so a cut-short file never looks whole. */
export async function writeAnalysis(report: AnalysisReport, output: AnalysisOutput, io: CliIo): Promise<void> {
  if (io.stderrIsTty) io.stderr.write('\r\x1b[K');
  io.stdout.write(output.format === 'json' ? renderAnalysisJson(report) : renderAnalysisText(report));
  if (output.jsonPath !== undefined) await writeFileAtomically(resolve(io.cwd, output.jsonPath), renderAnalysisJson(report));
  if (output.htmlPath !== undefined) await writeFileAtomically(resolve(io.cwd, output.htmlPath), renderHtml(report));
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'offline: class table of a heap snapshot; growth across ordered snapshots',
  usage,
  async run(args: readonly string[], io: CliIo) {
    const { values, positionals } = parseCommandArgs('analyze', args, analysisFlags);
    if (positionals.length === 0) throw usageError('analyze: name at least one .heapsnapshot file (see `leakfinder analyze --help`).');
    const { output, options } = readAnalysisFlags('analyze', values);
    preflightAnalysis(output, positionals, io);
    const progress = progressPrinter(io);
    const report = await analyze(
      positionals.map((p) => resolve(io.cwd, p)),
      { ...options, signal: io.signal, ...(progress === undefined ? {} : { onProgress: progress }) },
    );
    await writeAnalysis(report, output, io);
    return report.files.length > 1 && report.growth.length > 0 ? ExitCode.Found : ExitCode.Ok;
  },
};

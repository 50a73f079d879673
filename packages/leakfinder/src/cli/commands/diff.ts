import { resolve } from 'node:path';
import { diff } from '../../analyze/analyze.js';
import { usageError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { analysisFlags, preflightAnalysis, progressPrinter, readAnalysisFlags, writeAnalysis } from './analyze.js';

const usage = `Usage: leakfinder diff <before.heapsnapshot> <after.heapsnapshot> [options]

Per class: +count/-count and byte deltas between the two snapshots. When both come from the same process,
objects are matched by V8 object id: new and gone counts per class, and the new objects grouped by who
holds them, with one retainer path per group.

Options:
  --top <n>          rows per table (default 20)
  --json <file>      also write the report as JSON (schemaVersion 1) to <file>
  --html <file>      also write one self-contained HTML page: per-class +/- (sortable, filterable) and the new
                     objects grouped by holder, each with its retainer path
  --format <fmt>     text (default) or json, on stdout
  --show-values      print data-like property names (ids, tokens) in paths instead of <key>
  --verbose          on failure, also print the cause
`;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'offline: what changed between two heap snapshots, by class and by holder',
  usage,
  async run(args: readonly string[], io: CliIo) {
    const { values, positionals } = parseCommandArgs('diff', args, analysisFlags);
    if (positionals.length !== 2) {
      throw usageError(`diff: name exactly two files, before and after; got ${positionals.length} (see \`leakfinder diff --help\`).`);
    }
    const { output, options } = readAnalysisFlags('diff', values);
    preflightAnalysis(output, positionals, io);
    const progress = progressPrinter(io);
    const report = await diff(resolve(io.cwd, positionals[0]!), resolve(io.cwd, positionals[1]!), {
      ...options,
      signal: io.signal,
      ...(progress === undefined ? {} : { onProgress: progress }),
    });
    await writeAnalysis(report, output, io);
    return ExitCode.Ok;
  },
};

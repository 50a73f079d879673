import { LeakfinderError, usageError } from '../../errors.js';
import { parseCommandArgs, parseIntegerFlag } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../exit-code.js';
import { collectLintFiles } from '../lint/collect-lint-files.js';
import { formatLintJson } from '../lint/format-lint-json.js';
import { formatLintSarif } from '../lint/format-lint-sarif.js';
import { formatLintText } from '../lint/format-lint-text.js';
import type { LintConcurrency } from '../lint/run-lint.js';

const formats = ['text', 'json', 'sarif'] as const;
type LintFormat = (typeof formats)[number];

const usage = `Usage: leakfinder lint [paths...] [--format text|json|sarif] [--include-tests] [--concurrency <n|auto|off>]

Checks JavaScript and TypeScript files for the code patterns that make Node.js servers leak memory
(eslint-plugin-leakfinder's recommended rules). No ESLint setup is needed: the project's own ESLint config is
not used. Directories are searched recursively for .js .mjs .cjs .ts .mts .cts files, skipping node_modules,
dist, coverage, hidden directories (.git, .next, …) and tests (test/, tests/, __tests__/, __mocks__/,
fixtures/, e2e/, *.test.*, *.spec.*). Files named on the command line are always linted. Default path: the
current directory.

Options:
  --format <f>        text (default, ESLint style), json, or sarif (SARIF 2.1.0 for GitHub code scanning)
  --include-tests     also lint test folders and *.test.* / *.spec.* files found in directories
  --concurrency <n>   worker threads: a number, auto (default: ESLint decides from the file count, at most
                      half the CPUs) or off

Exit codes: 0 no findings, 1 findings (or a file that could not be parsed), 2 bad usage or no file could be parsed.

Examples:
  leakfinder lint src/
  leakfinder lint --format sarif . > leakfinder.sarif
`;

/** `leakfinder lint [paths…]`: the static DON'Ts, through ESLint's Node API and our plugin. */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'check source files for code patterns that leak memory in servers',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('lint', args, {
      format: { type: 'string' },
      concurrency: { type: 'string' },
      'include-tests': { type: 'boolean' },
    });
    const format = (values.format ?? 'text') as LintFormat;
    if (!formats.includes(format)) {
      throw usageError(`lint: \`--format\` must be one of ${formats.join(', ')}, got ${JSON.stringify(values.format)}.`);
    }
    const concurrency = parseConcurrency(values.concurrency);
    const files = collectLintFiles(positionals.length === 0 ? ['.'] : positionals, io.cwd, {
      includeTests: values['include-tests'] === true,
    });
    if (files.length === 0) {
      throw new LeakfinderError(
        'LF_LINT_NO_FILES',
        `lint: no .js/.mjs/.cjs/.ts/.mts/.cts files under ${(positionals.length === 0 ? ['.'] : positionals).join(', ')} (node_modules, dist, coverage, hidden and test directories are skipped).`,
        { usage: true },
      );
    }
    // ESLint and the parsers cost ~100 MB and ~0.9 s to load: only `lint` pays for them.
    const { lintRules, runLint } = await import('../lint/run-lint.js');
    const results = await runLint(files, io.cwd, concurrency);
    const output =
      format === 'json' ? formatLintJson(results, io.cwd)
      : format === 'sarif' ? formatLintSarif(results, lintRules(), io.cwd)
      : formatLintText(results, io.cwd);
    io.stdout.write(output);
    const unparsable = results.filter((r) => r.parseError !== null);
    if (unparsable.length === results.length) {
      const first = unparsable[0]!;
      throw new LeakfinderError(
        'LF_LINT_NO_FILES',
        `lint: none of the ${results.length} file(s) could be parsed (first: ${first.filePath}:${first.parseError!.line}:${first.parseError!.column}: ${first.parseError!.message}).`,
      );
    }
    return results.some((r) => r.messages.length > 0) ? ExitCode.Found : ExitCode.Ok;
  },
};

function parseConcurrency(value: string | undefined): LintConcurrency {
  if (value === undefined || value === 'auto') return 'auto';
  if (value === 'off') return 'off';
  return parseIntegerFlag('concurrency', value, 1, 256)!;
}

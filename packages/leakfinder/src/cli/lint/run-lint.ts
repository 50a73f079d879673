import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';
import leakfinder from 'eslint-plugin-leakfinder';
import { dirname, parse, sep } from 'node:path';

/** One problem found in one file: a rule's finding, or (ruleId null) a file that could not be parsed. */
export interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  /** 1-based, as ESLint reports them. */
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** The result for one file; `parseError` is set when the file could not be parsed (its rules did not run). */
export interface LintFileResult {
  /** Absolute path. */
  readonly filePath: string;
  readonly messages: readonly LintMessage[];
  readonly parseError: LintMessage | null;
}

/** A rule of the plugin as the reports describe it (SARIF `tool.driver.rules`). */
export interface LintRuleInfo {
  readonly id: string;
  readonly description: string;
  readonly url: string;
}

/** Every rule of the recommended config with its description and documentation URL. */
export function lintRules(): LintRuleInfo[] {
  const recommended = Object.keys(leakfinder.configs.recommended.rules ?? {});
  return recommended.map((id) => {
    const rule = leakfinder.rules[id.replace(/^leakfinder\//, '') as keyof typeof leakfinder.rules];
    return { id, description: rule.meta.docs?.description ?? '', url: rule.meta.docs?.url ?? '' };
  });
}

/**
 * The flat config `leakfinder lint` uses: the plugin's recommended rules on every JS/TS file, and
 * @typescript-eslint/parser for TypeScript (no type information, so no tsconfig is needed).
 */
export function lintConfig(): Linter.Config[] {
  return [
    { ...(leakfinder.configs.recommended as Linter.Config), files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.mts', '**/*.cts'] },
    { files: ['**/*.ts', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser as Linter.Parser } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    // The project's `eslint-disable` comments name rules we do not load; saying they are unused would be noise.
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ];
}

/**
 * How many worker threads ESLint may use: a number, `auto` (ESLint picks from the file count, at most half the
 * CPUs) or `off` (lint on the calling thread).
 */
export type LintConcurrency = number | 'auto' | 'off';

/**
 * Lints the files with the plugin's recommended rules, ignoring any ESLint config of the project
 * (`overrideConfigFile: true`), so it works where ESLint is not set up. Files that do not parse come back
 * with `parseError` set; the others are linted as usual.
 */
export async function runLint(
  files: readonly string[],
  cwd: string,
  concurrency: LintConcurrency = 'off',
): Promise<LintFileResult[]> {
  // ESLint ignores files outside its base path (`cwd`) with only a warning, so base it where all the files are.
  const base = commonDirectory([cwd, ...files]);
  const eslint = concurrency === 'off'
    ? new ESLint({ cwd: base, overrideConfigFile: true, overrideConfig: lintConfig(), ignore: false })
    : await ESLint.fromOptionsModule(new URL(`./eslint-options.js?${new URLSearchParams({ cwd: base, concurrency: String(concurrency) })}`, import.meta.url));
  const results = await eslint.lintFiles([...files]);
  return results.map((result) => {
    // Keep our rules' findings and the parse error; drop ESLint's notes about the project's own comments
    // (`// eslint-disable-next-line @typescript-eslint/x` names a rule we did not load: "Definition … not found").
    const kept = result.messages.filter((m) => m.ruleId?.startsWith('leakfinder/') === true || m.fatal === true);
    const messages = kept.map((m): LintMessage => ({
      ruleId: m.ruleId,
      message: m.message,
      line: m.line,
      column: m.column,
      ...(m.endLine === undefined ? {} : { endLine: m.endLine }),
      ...(m.endColumn === undefined ? {} : { endColumn: m.endColumn }),
    }));
    const fatal = kept.findIndex((m) => m.fatal === true);
    return { filePath: result.filePath, messages, parseError: fatal === -1 ? null : messages[fatal]! };
  });
}

/** The deepest directory that contains every one of the absolute paths (directories are taken as themselves). */
function commonDirectory(paths: readonly string[]): string {
  const split = (p: string): string[] => p.split(sep);
  let common = split(paths[0]!);
  for (const path of paths.slice(1)) {
    const parts = split(dirname(path));
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  const joined = common.join(sep);
  return joined === '' ? parse(paths[0]!).root : joined;
}

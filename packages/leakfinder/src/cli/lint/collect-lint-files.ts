import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { LeakfinderError, usageError } from '../../errors.js';

/** File extensions `leakfinder lint` reads: JavaScript and TypeScript in ESM and CommonJS flavours. */
export const lintExtensions: readonly string[] = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
// Build output, coverage reports and dependencies are not the user's code; linting them is slow and noisy.
// Hidden directories (.git, .next, .cache, …) are skipped too.
const skippedDirectories = new Set(['node_modules', 'dist', 'coverage']);

/**
 * Expands the paths given on the command line into the files to lint, sorted: directories recursively
 * (skipping node_modules, dist, coverage, hidden directories and, unless `includeTests`, test folders and
 * `*.test.*`/`*.spec.*` files), files as given. Declaration files (`.d.ts`) are skipped.
 */
export function collectLintFiles(paths: readonly string[], cwd: string, options: { includeTests?: boolean } = {}): string[] {
  const includeTests = options.includeTests ?? false;
  const files = new Set<string>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new LeakfinderError('LF_FILE_NOT_FOUND', `lint: \`${given}\` does not exist; pass files or directories to lint.`, {
        cause: error,
        usage: true,
      });
    }
    if (isDirectory) walk(path, files, includeTests);
    else if (isLintable(path)) files.add(path);
    else throw usageError(`lint: \`${given}\` is not a JavaScript or TypeScript file (expected ${lintExtensions.join(', ')}).`);
  }
  return [...files].sort();
}

function isLintable(path: string): boolean {
  return lintExtensions.includes(extname(path)) && !/\.d\.[cm]?ts$/.test(path);
}

// Tests and fixtures run briefly and record requests on purpose; their "leaks" are not the server's.
const testDirectories = new Set(['test', 'tests', '__tests__', '__mocks__', 'fixtures', 'e2e']);
const testFile = /\.(?:test|spec)\.[cm]?[jt]s$/;

function walk(dir: string, out: Set<string>, includeTests: boolean): void {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (skippedDirectories.has(entry.name) || entry.name.startsWith('.')) continue;
        if (!includeTests && testDirectories.has(entry.name)) continue;
        stack.push(path);
      } else if (entry.isFile() && isLintable(path) && (includeTests || !testFile.test(entry.name))) out.add(path);
    }
  }
}

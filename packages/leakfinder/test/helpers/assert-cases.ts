// Shared by the expectNoLeak tests (npm test) and their long list (npm run test:quality).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LeakReport } from '../../src/assert/index.js';

/** 1-based line of the unique line of `sourceFile` containing `marker` (a comment on the leaking line). */
export function lineOf(sourceFile: string, marker: string): number {
  const lines = readFileSync(sourceFile, 'utf8').split('\n');
  const found = lines.flatMap((text, i) => (text.includes(`// ${marker}`) ? [i + 1] : []));
  assert.equal(found.length, 1, `marker ${marker} must appear once in ${sourceFile}`);
  return found[0]!;
}

/** The .ts source of a compiled test file (dist/src/x.test.js → src/x.test.ts). */
export function sourceOf(compiledUrl: string): string {
  return new URL(compiledUrl).pathname.replace(/\/dist\/src\//, '/src/').replace(/\.js$/, '.ts');
}

/** Runs the assertion, expects it to fail with a leak, returns the error and its first leak. */
export async function leakOf(run: () => Promise<void>): Promise<{ error: assert.AssertionError; leak: LeakReport }> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof assert.AssertionError, `expected an AssertionError, got ${String(error)}`);
    const leaks = (error as unknown as { leaks: LeakReport[] }).leaks;
    assert.ok(Array.isArray(leaks) && leaks.length > 0, 'error.leaks lists the leaks');
    return { error, leak: leaks[0]! };
  }
  assert.fail('expectNoLeak passed, but the function leaks');
}

/** The leak's creation site is the line of `sourceFile` marked `marker`, mapped back to the .ts source. */
export function assertCreatedAt(leak: LeakReport, sourceFile: string, marker: string): void {
  assert.ok(leak.creationSite !== null, `a creation site for ${leak.group}`);
  assert.ok(sourceFile.endsWith(leak.creationSite.file.replace(/^file:\/\//, '').split('/').at(-1)!), `${leak.creationSite.file} is ${sourceFile}`);
  assert.equal(leak.creationSite.line, lineOf(sourceFile, marker));
}

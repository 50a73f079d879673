// leakfinder/assert under real test runners (used by test/e2e/assert-runners.test.ts and .quality.ts): each
// project in test/e2e/assert-runners/<runner>/ imports 'leakfinder/assert' through the workspace install and
// has one passing and one leaking test. The run must fail (exit code 1) and print, through the runner's own
// reporter, the culprit: the outer array, its holder, and the line that leaks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/test/helpers
const projects = resolve(here, '../../../test/e2e/assert-runners');
const repoRoot = resolve(here, '../../../../..');
const bin = (path: string): string => join(repoRoot, 'node_modules', path);

export interface Runner {
  readonly name: string;
  readonly folder: string;
  readonly testFile: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** How the runner marks the passing and the failing test in its output. */
  readonly passed: RegExp;
  readonly failed: RegExp;
  /** The holder line; Vitest's module wrapper makes `seen` a closure slot that the snapshot leaves unnamed. */
  readonly holder?: RegExp;
}

export const runners: readonly Runner[] = [
  {
    name: 'node:test',
    folder: 'node-test',
    testFile: 'leak.test.mjs',
    args: ['--test', '--test-reporter=spec', 'leak.test.mjs'],
    passed: /✔ passes: pushes into a local array/,
    failed: /✖ fails: pushes into an outer array/,
  },
  {
    name: 'Jest (ESM)',
    folder: 'jest-esm',
    testFile: 'leak.test.mjs',
    args: [bin('jest/bin/jest.js'), '--ci', '--colors=false'],
    env: { NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
    passed: /✓ passes: pushes into a local array/,
    failed: /✕ fails: pushes into an outer array/,
  },
  {
    name: 'Jest (CommonJS)',
    folder: 'jest-cjs',
    testFile: 'leak.test.js',
    args: [bin('jest/bin/jest.js'), '--ci', '--colors=false'],
    passed: /✓ passes: pushes into a local array/,
    failed: /✕ fails: pushes into an outer array/,
  },
  {
    name: 'Vitest',
    folder: 'vitest',
    testFile: 'leak.test.mjs',
    args: [bin('vitest/vitest.mjs'), 'run', '--testTimeout=600000', '--reporter=verbose', '--no-color'],
    passed: /✓ .*passes: pushes into a local array/,
    failed: /× .*fails: pushes into an outer array/,
    holder: /held by: +\S/,
  },
  {
    name: 'Mocha',
    folder: 'mocha',
    testFile: 'leak.test.mjs',
    args: [bin('mocha/bin/mocha.js'), '--timeout', '600000', '--no-colors', 'leak.test.mjs'],
    passed: /✔ passes: pushes into a local array/,
    failed: /1\) fails: pushes into an outer array/,
  },
];

function run(runner: Runner, cwd: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1' };
  delete env['NODE_OPTIONS']; // the parent's (node --test) must not leak into the runner
  delete env['NODE_TEST_CONTEXT']; // else a nested `node --test` reports to the parent, not to stdout
  Object.assign(env, runner.env);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, runner.args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** Runs the runner's project and checks exit code, reporter marks and the culprit in its output. */
export async function assertRunnerReportsLeak(runner: Runner): Promise<void> {
  const cwd = join(projects, runner.folder);
  const lines = readFileSync(join(cwd, runner.testFile), 'utf8').split('\n');
  const leakLine = lines.findIndex((l) => l.includes('// the leaking line')) + 1;
  const { code, output } = await run(runner, cwd);
  const shown = `\n--- ${runner.name} output ---\n${output}`;
  assert.equal(code, 1, `exit code 1 (a failed test)${shown}`);
  assert.match(output, runner.passed, shown);
  assert.match(output, runner.failed, shown);
  assert.match(output, /expectNoLeak: a group of objects grows with the calls/, shown);
  assert.match(output, /Object via Array\b/, shown);
  assert.match(output, /retainer path: .*Array( `seen`)? → Object `\[\d+\]`/, shown);
  assert.match(output, runner.holder ?? /held by: +Array `seen` in module leak\.test\.m?js/, shown);
  assert.match(output, new RegExp(`created at: +.*leak\\.test\\.m?js:${leakLine}:\\d+`), shown);
}

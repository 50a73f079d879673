// leakfinder/assert end to end under the runners that load test code their own way: Jest ESM (vm modules),
// Jest CommonJS (its own require, babel-jest) and Vitest (vite-node). node:test and Mocha load it with Node's
// own loader (the unit tests already run under node:test): they run in assert-runners.quality.ts.
import { test } from 'node:test';
import { assertRunnerReportsLeak, runners } from '../helpers/assert-runners.js';

for (const runner of runners.filter((r) => ['jest-esm', 'jest-cjs', 'vitest'].includes(r.folder))) {
  test(`${runner.name}: the leaking test fails with the culprit, the other passes`, () => assertRunnerReportsLeak(runner));
}

// leakfinder/assert end to end under the runners that load test code with Node's own loader: node:test and
// Mocha (npm run test:quality; the others are in assert-runners.test.ts).
import { test } from 'node:test';
import { assertRunnerReportsLeak, runners } from '../helpers/assert-runners.js';

for (const runner of runners.filter((r) => ['node-test', 'mocha'].includes(r.folder))) {
  test(`${runner.name}: the leaking test fails with the culprit, the other passes`, () => assertRunnerReportsLeak(runner));
}

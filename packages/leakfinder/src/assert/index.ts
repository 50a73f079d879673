/**
 * `leakfinder/assert`: leak assertions for unit tests, in any test runner. Both fail with a node:assert
 * `AssertionError` that names what leaked and who holds it.
 */
export { expectNoLeak, expectNoLeakDefaults, type ExpectNoLeakOptions } from './expect-no-leak.js';
export { expectCollected, expectCollectedDefaults, type ExpectCollectedOptions } from './expect-collected.js';
export type { LeakReport } from './leak-report.js';
export type { ProbedRetainers } from './find-probed-object.js';

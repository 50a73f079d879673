import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samplingIntervalFor } from './sampling-interval.js';
import { watchDefaults } from './watch-options.js';

test('a busy server gets the coarse interval, a quiet one (or a worker) the fine one', () => {
  assert.equal(samplingIntervalFor(7_000), 65_536);
  assert.equal(samplingIntervalFor(watchDefaults.busyRequestsPerSecond), 65_536);
  assert.equal(samplingIntervalFor(watchDefaults.busyRequestsPerSecond - 1), 16_384);
  assert.equal(samplingIntervalFor(0), 16_384);
  assert.equal(samplingIntervalFor(null), 16_384);
});

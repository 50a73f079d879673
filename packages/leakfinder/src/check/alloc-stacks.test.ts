import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeakfinderError } from '../errors.js';
import { allocStacksEnv, defaultAllocStacksMode, resolveAllocStacksMode } from './alloc-stacks.js';

test('--alloc-stacks accepts the four modes, defaults to rerun, and names a bad value', () => {
  assert.equal(resolveAllocStacksMode(undefined), defaultAllocStacksMode);
  assert.equal(defaultAllocStacksMode, 'rerun');
  assert.equal(resolveAllocStacksMode('sampling'), 'sampling');
  assert.equal(resolveAllocStacksMode('tracking'), 'tracking');
  assert.equal(resolveAllocStacksMode('off'), 'off');
  assert.throws(() => resolveAllocStacksMode('full'), (error) => LeakfinderError.is(error) && error.code === 'LF_OPTION_INVALID' && /`--alloc-stacks` must be one of rerun, sampling, tracking, off; got "full"/.test(error.message));
});

test('tracking adds --track-heap-objects to the user’s NODE_OPTIONS; the other modes leave the env alone', () => {
  const env = { NODE_OPTIONS: '--max-old-space-size=512', PATH: '/bin' };
  assert.deepEqual(allocStacksEnv('tracking', env), { NODE_OPTIONS: '--max-old-space-size=512 --track-heap-objects', PATH: '/bin' });
  assert.equal(allocStacksEnv('sampling', env), env);
  assert.equal(allocStacksEnv('rerun', env), env, 'rerun measures without tracking; only its second run traces');
  assert.equal(allocStacksEnv('off', undefined), undefined);
});

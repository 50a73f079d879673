import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGroupSeries, leastSquares } from './series.js';

test('leastSquares recovers an exact line with zero error and r² 1', () => {
  const fit = leastSquares([0, 250, 500, 750, 1000], [10, 35, 60, 85, 110]);
  assert.ok(Math.abs(fit.slope - 0.1) < 1e-12);
  assert.ok(Math.abs(fit.intercept - 10) < 1e-9);
  assert.equal(fit.slopeStdError, 0);
  assert.equal(fit.r2, 1);
});

test('leastSquares gives a standard error that grows with the noise', () => {
  const x = [0, 1, 2, 3, 4, 5];
  const quiet = leastSquares(x, [0, 1.1, 1.9, 3.05, 4, 4.95]);
  const noisy = leastSquares(x, [0, 3, -1, 5, 2, 6]);
  assert.ok(quiet.slopeStdError < noisy.slopeStdError);
  assert.ok(quiet.r2 > 0.99 && noisy.r2 < 0.8);
});

test('leastSquares of a constant series has slope 0 and r² 1', () => {
  const fit = leastSquares([0, 1, 2, 3], [7, 7, 7, 7]);
  assert.equal(fit.slope, 0);
  assert.equal(fit.r2, 1);
});

test('leastSquares with two points has an unknown (infinite) error', () => {
  assert.equal(leastSquares([0, 1], [0, 2]).slopeStdError, Number.POSITIVE_INFINITY);
});

test('buildGroupSeries joins groups by key and fills absent checkpoints with 0', () => {
  const row = (key: string, count: number) => ({ key, className: key, signature: '', count, selfBytes: count * 10, retainedBytes: count * 20 });
  const series = buildGroupSeries([
    { requests: 0, groups: [row('A', 1)] },
    { requests: 100, groups: [row('A', 3), row('B', 5)] },
    { requests: 200, groups: [row('B', 6)] },
  ]);
  const a = series.find((s) => s.key === 'A')!;
  const b = series.find((s) => s.key === 'B')!;
  assert.deepEqual(a.counts, [1, 3, 0]);
  assert.deepEqual(b.counts, [0, 5, 6]);
  assert.deepEqual(b.retainedBytes, [0, 100, 120]);
  assert.deepEqual(a.requests, [0, 100, 200]);
});

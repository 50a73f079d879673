import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultGrowthLimits, findPerRequestGrowth } from './per-request-growth.js';
import type { GroupSeries } from './series.js';

const requests = [0, 250, 500, 750, 1000];
function series(key: string, counts: number[], bytesPerObject = 64): GroupSeries {
  return { key, className: key, signature: '', requests, counts, selfBytes: counts.map((c) => c * bytesPerObject), retainedBytes: counts.map((c) => c * bytesPerObject) };
}

test('one object per request is a leak, with its slope and bytes per request', () => {
  const { growing } = findPerRequestGrowth([series('Leak', [100, 350, 600, 850, 1100])]);
  assert.equal(growing.length, 1);
  assert.ok(Math.abs(growing[0]!.countFit.slope - 1) < 1e-9);
  assert.ok(Math.abs(growing[0]!.bytesFit.slope - 64) < 1e-6);
});

test('one object per 10 requests with concurrency jitter is a leak (no count % N rule)', () => {
  const { growing } = findPerRequestGrowth([series('Slow', [40, 64, 91, 114, 141])]);
  assert.equal(growing.length, 1);
});

test('a cache that fills and plateaus is not a leak, nor borderline', () => {
  const { growing, borderline } = findPerRequestGrowth([series('Cache', [150, 200, 200, 200, 200])]);
  assert.equal(growing.length, 0);
  assert.equal(borderline.length, 0);
});

test('lazy initialisation (one step, then flat) is not a leak', () => {
  const { growing } = findPerRequestGrowth([series('Catalog', [0, 5000, 5000, 5000, 5000])]);
  assert.equal(growing.length, 0);
});

test('warm-up growth that dies down is not a leak: the last interval adds too little', () => {
  const { growing } = findPerRequestGrowth([series('code', [1000, 1200, 1290, 1320, 1322])]);
  assert.equal(growing.length, 0);
});

test('noise around a flat level is not a leak', () => {
  const { growing, borderline } = findPerRequestGrowth([series('Object', [5000, 5013, 4990, 5008, 4997])]);
  assert.equal(growing.length, 0);
  assert.equal(borderline.length, 0);
});

test('a group that grows in all but one interval is borderline, so the run can be extended', () => {
  const { growing, borderline } = findPerRequestGrowth([series('Maybe', [100, 130, 160, 158, 200])]);
  assert.equal(growing.length, 0);
  assert.equal(borderline.length, 1);
  assert.match(borderline[0]!.reason, /rose in 3 of 4 intervals/);
});

test('fewer checkpoints than the minimum give no finding', () => {
  const short: GroupSeries = { ...series('Leak', [1, 2, 3, 4, 5]), requests: [0, 1, 2], counts: [0, 1, 2] };
  assert.equal(findPerRequestGrowth([short]).growing.length, 0);
});

test('growing groups are sorted by bytes per request, largest first', () => {
  const { growing } = findPerRequestGrowth([series('Small', [0, 250, 500, 750, 1000], 16), series('Big', [0, 250, 500, 750, 1000], 512)]);
  assert.deepEqual(growing.map((g) => g.series.key), ['Big', 'Small']);
  assert.equal(defaultGrowthLimits.minRisingShare, 1);
});

test('JIT warm-up in (compiled code) that is not clearly growing does not hold the run up as borderline', () => {
  const { growing, borderline } = findPerRequestGrowth([series('(compiled code)', [9000, 9030, 9060, 9058, 9100])]);
  assert.equal(growing.length, 0);
  assert.equal(borderline.length, 0);
});

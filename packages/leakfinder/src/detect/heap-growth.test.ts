import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unexplainedHeapGrowth, type HeapPoint } from './heap-growth.js';
import { findGrowingSites } from './site-growth.js';

const limits = { minCheckpoints: 5 };
const at = (xs: number[], bytes: (x: number, i: number) => number): HeapPoint[] => xs.map((x, i) => ({ x, heapUsedBytes: bytes(x, i) }));
const xs = [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 11_000];

test('a live heap that rises 200 B per request while no sampled site does: unexplained growth', () => {
  const heap = unexplainedHeapGrowth(at(xs, (x, i) => 30e6 + 200 * x + (i % 2) * 5_000), [], limits, 'request');
  assert.ok(heap !== null);
  assert.ok(Math.abs(heap.fit.slope - 200) < 10, String(heap.fit.slope));
});

test('the same rise explained by a growing sampled site: nothing more to say', () => {
  const sites = findGrowingSites(xs.map((x) => ({ requests: x, bytesBySite: new Map([['make app.js:3:1', 180 * x]]) })), limits);
  assert.equal(sites.length, 1);
  assert.equal(unexplainedHeapGrowth(at(xs, (x) => 30e6 + 200 * x), sites, limits, 'request'), null);
});

test('a healthy heap: flat with noise, or a warm-up that levels off, or a small drift, is not growth', () => {
  assert.equal(unexplainedHeapGrowth(at(xs, (_x, i) => 30e6 + ((i * 7919) % 5) * 40_000), [], limits, 'request'), null);
  assert.equal(unexplainedHeapGrowth(at(xs, (x) => 30e6 + 2e6 * (1 - Math.exp(-x / 800))), [], limits, 'request'), null);
  assert.equal(unexplainedHeapGrowth(at(xs, (x) => 30e6 + 20 * x), [], limits, 'request'), null);
});

const seconds = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30];

test('per time the floor is per second, and too few checkpoints decide nothing', () => {
  assert.ok(unexplainedHeapGrowth(at(seconds, (x) => 5e6 + 30_000 * x), [], limits, 'time') !== null);
  assert.equal(unexplainedHeapGrowth(at(seconds, (x) => 5e6 + 500 * x), [], limits, 'time'), null);
  assert.equal(unexplainedHeapGrowth(at(seconds.slice(0, 9), (x) => 5e6 + 30_000 * x), [], limits, 'time'), null);
});

test('a warm-up that rises steadily at first and levels off in the later half is not growth', () => {
  // The healthy express twin watched from its first request: +187 B/request at r² 0.97 over its first checkpoints.
  assert.equal(unexplainedHeapGrowth(at(xs, (x) => 30e6 + 190 * Math.min(x, 5_000) + (x % 2000 === 0 ? 3_000 : 0)), [], limits, 'request'), null);
});

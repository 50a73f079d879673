import assert from 'node:assert/strict';
import { Session } from 'node:inspector';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { test } from 'node:test';
import { checkpointDue, minGapMsOf, type DueInput } from './checkpoint-due.js';

const base: DueInput = { per: 'request', nowMs: 10_000, lastAtMs: 0, requests: 5_000, lastRequests: 0, everyRequests: 1_000, everyMs: 30_000, minGap: 'auto', autoGapMs: 5_000, lastPauseMs: 14 };

test('a busy server: enough requests are not enough before the gap has passed', () => {
  assert.equal(checkpointDue({ ...base, nowMs: 4_999 }), false);
  assert.equal(checkpointDue({ ...base, nowMs: 5_000 }), true);
});

test('a quiet server: the gap has passed but too few requests came', () => {
  assert.equal(checkpointDue({ ...base, requests: 999 }), false);
});

test('auto spacing grows with the pause of the last read (a big heap\'s full GC), keeping it near 1% of the time', () => {
  assert.equal(minGapMsOf({ minGap: 'auto', autoGapMs: 5_000, lastPauseMs: 14 }), 5_000);
  assert.equal(minGapMsOf({ minGap: 'auto', autoGapMs: 5_000, lastPauseMs: 300 }), 30_000);
  assert.equal(checkpointDue({ ...base, lastPauseMs: 300, nowMs: 29_000 }), false);
});

test('an explicit gap is used as given, also 0', () => {
  assert.equal(minGapMsOf({ minGap: 0, autoGapMs: 5_000, lastPauseMs: 300 }), 0);
  assert.equal(checkpointDue({ ...base, minGap: 0, nowMs: 1 }), true);
  assert.equal(checkpointDue({ ...base, minGap: 20_000 }), false);
});

test('per time: the interval decides, the gap only bounds it', () => {
  assert.equal(checkpointDue({ ...base, per: 'time', requests: 0, everyMs: 3_000, nowMs: 4_000 }), false);
  assert.equal(checkpointDue({ ...base, per: 'time', requests: 0, everyMs: 3_000, minGap: 0, nowMs: 4_000 }), true);
  assert.equal(checkpointDue({ ...base, per: 'time', requests: 0, everyMs: 30_000, nowMs: 29_000 }), false);
});

// The premise of the spacing: V8's inspector starts the sampling profiler with kSamplingForceGC, so every
// profile read is a full (major) GC in the target. If a Node release drops that, this fails and the spacing
// can be relaxed.
test('reading the sampling heap profile forces a major GC (real inspector, this process)', async (t) => {
  const session = new Session();
  session.connect();
  t.after(() => session.disconnect());
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let majors = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (((entry as unknown as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
  });
  observer.observe({ entryTypes: ['gc'] });
  t.after(() => observer.disconnect());
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 16_384 });
  t.after(() => post('HeapProfiler.stopSampling').catch(() => undefined));
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));
  await settle();
  const before = majors;
  for (let i = 0; i < 3; i++) await post('HeapProfiler.getSamplingProfile');
  await settle();
  assert.ok(majors - before >= 3, `3 profile reads caused ${majors - before} major GCs`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideSnapshotHeadroom } from './snapshot-headroom.js';

const MiB = 1024 * 1024;

test('a snapshot that needs more than the tightest bound leaves is not taken, and the line gives the numbers', () => {
  const d = decideSnapshotHeadroom({
    heapUsedBytes: 40 * MiB,
    heapLimitBytes: 4096 * MiB,
    nativeBytesPerHeapByte: 16,
    bounds: [
      { source: 'available memory of the machine', limitBytes: null, roomBytes: 5000 * MiB },
      { source: 'cgroup v1 /lf-test', limitBytes: 256 * MiB, roomBytes: 150 * MiB },
    ],
  });
  assert.equal(d.safe, false);
  assert.equal(d.neededBytes, 640 * MiB);
  assert.equal(d.tightest?.source, 'cgroup v1 /lf-test');
  assert.match(d.line, /needs about 640 MiB \(16x the 40\.0 MiB heap\) but cgroup v1 \/lf-test \(limit 256 MiB\) leaves 150 MiB/);
});

test('with room to spare it is safe; near the V8 heap limit it is not, whatever the room', () => {
  const bounds = [{ source: 'available memory of the machine', limitBytes: null, roomBytes: 8000 * MiB }];
  assert.equal(decideSnapshotHeadroom({ heapUsedBytes: 10 * MiB, heapLimitBytes: 4096 * MiB, nativeBytesPerHeapByte: 16, bounds }).safe, true);
  const near = decideSnapshotHeadroom({ heapUsedBytes: 1900 * MiB, heapLimitBytes: 2048 * MiB, nativeBytesPerHeapByte: 1, bounds });
  assert.equal(near.safe, false);
  assert.match(near.line, /93% of V8's heap limit/);
});

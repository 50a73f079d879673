import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryNeedBytes } from './memory-need.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

test('the memory estimate follows the peaks measured in bench/README.md, with 10% to spare', () => {
  // [file, measured peak RSS] from the bench's final runs.
  const measured: [number, number][] = [
    [96 * MiB, 238 * MiB],
    [487 * MiB, 827 * MiB],
    [1.67 * GiB, 2.41 * GiB],
    [2.88 * GiB, 3.62 * GiB],
  ];
  for (const [file, peak] of measured) {
    const need = memoryNeedBytes(file);
    assert.ok(need >= peak, `${file}: ${need} < measured ${peak}`);
    assert.ok(need <= peak * 1.15, `${file}: ${need} is far above the measured ${peak}`);
  }
  // Monotonic: a bigger file never needs less.
  let previous = 0;
  for (let bytes = MiB; bytes < 8 * GiB; bytes *= 1.5) {
    const need = memoryNeedBytes(bytes);
    assert.ok(need > previous);
    previous = need;
  }
});

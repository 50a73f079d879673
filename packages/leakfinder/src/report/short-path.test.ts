import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortenPath } from './short-path.js';

const hops = (n: number): string[] => Array.from({ length: n }, (_, i) => `hop${i}`);

test('short paths print whole', () => {
  assert.deepEqual(shortenPath(hops(3)), hops(3));
  assert.deepEqual(shortenPath(hops(10)), hops(10)); // hiding one hop would save nothing
});

test('long paths keep the root side and the holder side, and count what they hide', () => {
  const path = hops(14);
  assert.deepEqual(shortenPath(path), ['hop0', 'hop1', '… 5 more …', 'hop7', 'hop8', 'hop9', 'hop10', 'hop11', 'hop12', 'hop13']);
  assert.equal(path.length, 14, 'the input is not changed');
});

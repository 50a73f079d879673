// The second thread's passes against the same passes on this thread, on a real snapshot of this process,
// for both orders of the shallow-size claim (worker first, this thread first).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeHeapSnapshot } from 'node:v8';
import { knownStrings } from './known-strings.js';
import { computeRetainerTree } from './paths.js';
import { rawClassIndex } from './raw-classes.js';
import { readSnapshot } from './read.js';
import { computeShallowSizes } from './shallow-sizes.js';
import { startSideAnalysis } from './side-analysis.js';

class SideAnalysisProbe {
  constructor(readonly payload: number[]) {}
}
const keep = Array.from({ length: 2000 }, (_, i) => new SideAnalysisProbe([i, i + 1, i + 2]));

const dir = mkdtempSync(join(tmpdir(), 'lf-side-'));
const file = writeHeapSnapshot(join(dir, 'side.heapsnapshot'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function expected(): Promise<{ selfBytes: Float64Array; parentEdge: Uint32Array; classOf: Uint32Array }> {
  const graph = await readSnapshot(file);
  const known = knownStrings(graph.strings);
  const selfBytes = computeShallowSizes(graph, known);
  return { selfBytes, parentEdge: computeRetainerTree(graph, known).parentEdge, classOf: rawClassIndex(graph, selfBytes).classOf };
}

test('worker first: it computes the shallow sizes in place, then the class pass and the BFS', async () => {
  const want = await expected();
  const graph = await readSnapshot(file);
  const side = startSideAnalysis(graph, knownStrings(graph.strings));
  assert.ok(side !== null, 'a parsed file has shared columns');
  try {
    // The class pass needs the shallow sizes; nobody else claimed them, so the worker did.
    const raw = await side.rawClasses;
    assert.equal(side.ensureShallowSizes(), 'worker');
    assert.deepEqual(graph.nodeSelfBytes, want.selfBytes);
    assert.deepEqual(raw.classOf, want.classOf);
    assert.deepEqual((await side.retainerTree).parentEdge, want.parentEdge);
  } finally {
    side.cancel();
  }
  assert.equal(keep.length, 2000);
});

test('this thread first: a claim before the worker starts computes here, and the worker still finishes', async (t) => {
  const want = await expected();
  const graph = await readSnapshot(file);
  const side = startSideAnalysis(graph, knownStrings(graph.strings))!;
  try {
    // Right after the start the worker is still booting (tens of ms), so this thread normally wins the
    // claim; either way the sizes must be right and computed exactly once.
    const who = side.ensureShallowSizes();
    assert.ok(who === 'this-thread' || who === 'worker');
    t.diagnostic(`shallow sizes computed by: ${who}`);
    assert.deepEqual(graph.nodeSelfBytes, want.selfBytes);
    assert.deepEqual((await side.rawClasses).classOf, want.classOf);
    assert.deepEqual((await side.retainerTree).parentEdge, want.parentEdge);
  } finally {
    side.cancel();
  }
});

test('graphs whose columns are not shared memory stay on this thread', async () => {
  const graph = await readSnapshot(file);
  const copy = { ...graph, edgeTarget: Uint32Array.from(graph.edgeTarget) };
  assert.equal(startSideAnalysis(copy, knownStrings(graph.strings)), null);
});

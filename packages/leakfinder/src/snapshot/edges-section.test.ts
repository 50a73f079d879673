import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GraphSpec } from '../../test/helpers/graph-builder.js';
import { locateEdges, parseEdgesSection } from './edges-section.js';
import { resolveLayout, type V8SnapshotHeader } from './format.js';
import { parseSnapshotBytes } from './read.js';

// The two steps the `edges` thread runs, here on the test's thread (as readSnapshot does when that thread is
// lost after taking the section).

const items = Array.from({ length: 200 }, (_, i) => `Item#${i + 2}`);
const text = new GraphSpec(`(root) -> App; App -element-> ${items.join(', ')}; App -> Shared; Shared -weak-> App`).toSnapshotText();

async function withFile(t: { after: (fn: () => void) => void }, content: string): Promise<Awaited<ReturnType<typeof open>>> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-edges-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a.heapsnapshot');
  writeFileSync(file, content);
  const handle = await open(file, 'r');
  t.after(() => void handle.close());
  return handle;
}

test('locateEdges finds `edges` by byte search; parseEdgesSection fills the columns as a whole-file parse does', async (t) => {
  const handle = await withFile(t, text);
  const nodesFrom = text.indexOf('"nodes":[') + '"nodes":['.length;
  for (const chunkBytes of [7, 64, 1 << 20]) {
    const place = await locateEdges(handle, nodesFrom, chunkBytes);
    assert.ok(place !== null);
    assert.equal(place.listOffset, text.indexOf('"edges":[') + '"edges":'.length);
    assert.equal(place.closeOffset, text.indexOf(']', place.listOffset));
    const header = (JSON.parse(text) as { snapshot: V8SnapshotHeader }).snapshot;
    const layout = resolveLayout(header, 'a.heapsnapshot');
    const whole = parseSnapshotBytes(text);
    const claim = {
      ...place,
      nodeCount: whole.nodeCount,
      edgeCount: whole.edgeCount,
      edgeType: new Uint8Array(whole.edgeCount),
      edgeName: new Uint32Array(whole.edgeCount),
      edgeTarget: new Uint32Array(whole.edgeCount),
    };
    const outcome = await parseEdgesSection(handle, { name: 'a.heapsnapshot', fileBytes: text.length, layout, claim, chunkBytes });
    assert.deepEqual(outcome, { complete: true, edgeCount: whole.edgeCount, endOffset: place.closeOffset + 1 });
    assert.deepEqual(claim.edgeTarget, whole.edgeTarget);
    assert.deepEqual(claim.edgeType, whole.edgeType);
    assert.deepEqual(claim.edgeName, whole.edgeName);
  }
});

test('locateEdges: null when `edges` does not follow `nodes`', async (t) => {
  const reordered = text.replace('"edges":[', '"samples":[],"edges":[');
  const handle = await withFile(t, reordered);
  assert.equal(await locateEdges(handle, reordered.indexOf('"nodes":[') + '"nodes":['.length, 64), null);
});

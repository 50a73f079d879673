import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GraphSpec } from '../../test/helpers/graph-builder.js';
import { LeakfinderError } from '../errors.js';
import { edgeNameOf, nodeNameOf } from './graph.js';
import { parseSnapshotBytes, readSnapshot } from './read.js';

const spec = new GraphSpec('(root) -> App; App -> Left, Right; Left -> Shared:100; Right -> Shared; App -element-> Item, Item#2');

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lf-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(LeakfinderError.is(error), `expected a LeakfinderError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

test('parses nodes, edges (as NodeIds) and strings', () => {
  const graph = parseSnapshotBytes(spec.toSnapshotText());
  assert.equal(graph.nodeCount, spec.nodes.length);
  const app = spec.id('App');
  assert.equal(nodeNameOf(graph, app), 'App');
  const targets = [];
  for (let e = graph.firstEdge[app]!; e < graph.firstEdge[app + 1]!; e++) targets.push(graph.edgeTarget[e]);
  assert.deepEqual(targets, [spec.id('Left'), spec.id('Right'), spec.id('Item'), spec.id('Item#2')]);
  assert.equal(edgeNameOf(graph, graph.firstEdge[app]!), 'left');
  assert.equal(edgeNameOf(graph, graph.firstEdge[app]! + 3), '1');
  assert.equal(graph.nodeSelfBytes[spec.id('Shared')], 100);
});

test('every chunk size gives the same graph (numbers and strings split anywhere)', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'a.heapsnapshot');
  // Escapes, a quote, a backslash and non-ASCII in node names must decode exactly.
  const text = spec.toSnapshotText().replace('"Shared"', JSON.stringify('Sh\\"ar\u00e9d\u2603\n'));
  writeFileSync(file, text);
  const whole = parseSnapshotBytes(text);
  for (const chunkBytes of [1, 2, 3, 5, 64]) {
    const graph = await readSnapshot(file, { chunkBytes });
    assert.deepEqual(graph.strings, whole.strings, `chunk ${chunkBytes}`);
    assert.deepEqual([...graph.edgeTarget], [...whole.edgeTarget]);
    assert.deepEqual([...graph.nodeName], [...whole.nodeName]);
  }
  assert.equal(nodeNameOf(whole, spec.id('Shared')), 'Sh\\"ar\u00e9d\u2603\n');
});

test('extra node fields of a newer V8 are skipped', () => {
  const graph = parseSnapshotBytes(spec.toSnapshotText({ extraNodeFields: ['future_field'] }));
  assert.equal(graph.nodeSelfBytes[spec.id('Shared')], 100);
  assert.equal(graph.edgeTarget[graph.firstEdge[spec.id('Left')]!], spec.id('Shared'));
});

test('a meta without a needed field is LF_SNAPSHOT_UNSUPPORTED naming it', async (t) => {
  const file = join(tempDir(t), 'old.heapsnapshot');
  writeFileSync(file, spec.toSnapshotText().replace('"self_size"', '"shallow"'));
  await rejectsWith(readSnapshot(file), 'LF_SNAPSHOT_UNSUPPORTED', /old\.heapsnapshot.*`self_size`/);
});

test('bad input: each gives one line with a stable code', async (t) => {
  const dir = tempDir(t);
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  await rejectsWith(readSnapshot(write('empty.heapsnapshot', '')), 'LF_SNAPSHOT_MALFORMED', /empty\.heapsnapshot.*empty \(0 bytes\)/);
  await rejectsWith(readSnapshot(write('text.heapsnapshot', 'hello world')), 'LF_SNAPSHOT_MALFORMED', /text\.heapsnapshot.*not a V8 heap snapshot/);
  await rejectsWith(readSnapshot(write('other.json', '{"name":"x","version":1}')), 'LF_SNAPSHOT_MALFORMED', /other\.json: JSON but not a V8 heap snapshot/);
  const full = spec.toSnapshotText();
  const cut = Math.floor(full.length * 0.6);
  await rejectsWith(readSnapshot(write('cut.heapsnapshot', full.slice(0, cut))), 'LF_SNAPSHOT_MALFORMED', new RegExp(`cut\\.heapsnapshot.*cut short at byte ${cut} of ${cut}`));
  await rejectsWith(readSnapshot(join(dir, 'missing.heapsnapshot')), 'LF_FILE_NOT_FOUND', /missing\.heapsnapshot/);
  mkdirSync(join(dir, 'folder'));
  await rejectsWith(readSnapshot(join(dir, 'folder')), 'LF_FILE_UNREADABLE', /folder: is a directory/);
  await rejectsWith(readSnapshot(write('garbage.heapsnapshot', full.replace('"edges":[', '"edges":[x'))), 'LF_SNAPSHOT_MALFORMED', /at byte \d+/);
});

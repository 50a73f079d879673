import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { test } from 'node:test';
import { GraphSpec } from '../../test/helpers/graph-builder.js';
import { LeakfinderError } from '../errors.js';
import { edgeNameOf, nodeNameOf, type HeapGraph } from './graph.js';
import { parseSnapshotBytes, readSnapshot, type SnapshotProgress } from './read.js';

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
    // Also with `edges` on the second thread (see the tests below).
    for (const parallelEdgesMinBytes of [Infinity, 0]) {
      const graph = await readSnapshot(file, { chunkBytes, parallelEdgesMinBytes });
      assert.deepEqual(graph.strings, whole.strings, `chunk ${chunkBytes}`);
      assert.deepEqual([...graph.edgeTarget], [...whole.edgeTarget]);
      assert.deepEqual([...graph.nodeName], [...whole.nodeName]);
    }
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

// `edges` on a second thread (edges-thread.ts). `parallelEdgesMinBytes: 0` takes that path for any file;
// `Infinity` is the serial read it must match, byte for byte and message for message.
const parallel = { parallelEdgesMinBytes: 0 } as const;
const serial = { parallelEdgesMinBytes: Infinity } as const;

/** A graph with a few thousand edges, so `edges` spans many chunks of the small sizes below. */
function wideSpec(): GraphSpec {
  const items = Array.from({ length: 400 }, (_, i) => `Item#${i + 2}`);
  return new GraphSpec(`(root) -> App; App -> Left, Right; App -element-> ${items.join(', ')}; Left -> Shared; Right -> Shared; Shared -weak-> App`);
}

function sameColumns(actual: HeapGraph, expected: HeapGraph, what: string): void {
  assert.equal(actual.edgeCount, expected.edgeCount, what);
  assert.deepEqual(actual.edgeType, expected.edgeType, `${what}: edgeType`);
  assert.deepEqual(actual.edgeName, expected.edgeName, `${what}: edgeName`);
  assert.deepEqual(actual.edgeTarget, expected.edgeTarget, `${what}: edgeTarget`);
  assert.deepEqual(actual.firstEdge, expected.firstEdge, `${what}: firstEdge`);
  assert.deepEqual(actual.nodeName, expected.nodeName, `${what}: nodeName`);
  assert.deepEqual(actual.strings, expected.strings, `${what}: strings`);
}

async function readParallel(file: string, chunkBytes?: number): Promise<HeapGraph> {
  let secondThread: boolean | null = null;
  const graph = await readSnapshot(file, { ...parallel, chunkBytes, onEdgesThread: (used) => (secondThread = used) });
  assert.equal(secondThread, true, `edges of ${file} (chunks of ${chunkBytes ?? 'default'} bytes) were not parsed on the second thread`);
  return graph;
}

test('edges on a second thread: the same columns as a serial read (a real snapshot, any chunk size)', async (t) => {
  const file = join(tempDir(t), 'self.heapsnapshot');
  writeHeapSnapshot(file);
  let secondThread: boolean | null = null;
  const expected = await readSnapshot(file, { ...serial, onEdgesThread: (used) => (secondThread = used) });
  assert.equal(secondThread, false);
  assert.ok(expected.edgeCount > 10_000);
  // `locations` checked against JSON.parse of the same (small) file.
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; location_fields: string[] } }; locations: number[] };
  const stride = raw.snapshot.meta.location_fields.length;
  const column = (field: string, divisor = 1): number[] => {
    const offset = raw.snapshot.meta.location_fields.indexOf(field);
    return Array.from({ length: raw.locations.length / stride }, (_, i) => raw.locations[i * stride + offset]! / divisor);
  };
  assert.ok(raw.locations.length > 1000);
  for (const chunkBytes of [undefined, 65_536, 4099]) {
    const graph = await readParallel(file, chunkBytes);
    sameColumns(graph, expected, `chunks of ${chunkBytes}`);
    assert.deepEqual([...graph.locations.nodeId], column('object_index', raw.snapshot.meta.node_fields.length));
    assert.deepEqual([...graph.locations.line], column('line'));
    assert.deepEqual([...graph.locations.column], column('column'));
  }
});

test('edges on a second thread: numbers split at every chunk boundary', async (t) => {
  const file = join(tempDir(t), 'wide.heapsnapshot');
  const text = wideSpec().toSnapshotText();
  writeFileSync(file, text);
  const expected = parseSnapshotBytes(text);
  for (const chunkBytes of [3, 7, 64, 1000]) sameColumns(await readParallel(file, chunkBytes), expected, `chunks of ${chunkBytes}`);
});

test('edges on a second thread: small files stay serial by default; a wrong header edge_count falls back', async (t) => {
  const dir = tempDir(t);
  const text = wideSpec().toSnapshotText();
  const small = join(dir, 'small.heapsnapshot');
  writeFileSync(small, text);
  let secondThread: boolean | null = null;
  await readSnapshot(small, { onEdgesThread: (used) => (secondThread = used) });
  assert.equal(secondThread, false);
  const edgeCount = /"edge_count":(\d+)/.exec(text)![1]!;
  const wrong = join(dir, 'wrong-count.heapsnapshot');
  writeFileSync(wrong, text.replace(`"edge_count":${edgeCount}`, `"edge_count":${Number(edgeCount) + 1}`));
  secondThread = null;
  const graph = await readSnapshot(wrong, { ...parallel, onEdgesThread: (used) => (secondThread = used) });
  assert.equal(secondThread, false, 'the header disagrees with the nodes: edges parsed serially');
  sameColumns(graph, parseSnapshotBytes(text), 'fallback');
});

test('edges on a second thread: bad input gives the serial read\'s error, byte offset included', async (t) => {
  const dir = tempDir(t);
  const text = wideSpec().toSnapshotText();
  const open = text.indexOf('"edges":[') + '"edges":['.length;
  const close = text.indexOf(']', open);
  const middle = text.indexOf(',', Math.floor((open + close) / 2));
  const toNode = text.lastIndexOf(',', close - 1) + 1; // the last row's to_node
  const badEdges = `${text.slice(0, middle)},x${text.slice(middle)}`;
  const cases: Record<string, string> = {
    'cut-in-edges': text.slice(0, middle + 2),
    'cut-after-key': text.slice(0, open - 1),
    'bad-byte': badEdges,
    'to-node-not-a-row': `${text.slice(0, toNode)}${Number(text.slice(toNode, close)) + 1}${text.slice(close)}`,
    'to-node-past-the-end': `${text.slice(0, toNode)}${(wideSpec().nodes.length + 5) * 7}${text.slice(close)}`,
    'a-row-short': `${text.slice(0, text.lastIndexOf(',', toNode - 2))}${text.slice(close)}`,
    'bad-after-edges': text.replace('"strings":[', '"strings":[x'),
    'bad-in-and-after-edges': badEdges.replace('"strings":[', '"strings":[x'),
  };
  for (const [name, content] of Object.entries(cases)) {
    const file = join(dir, `${name}.heapsnapshot`);
    writeFileSync(file, content);
    const expected = await errorOf(readSnapshot(file, serial));
    assert.match(expected.message, /at byte \d+/, name);
    for (const chunkBytes of [undefined, 64]) {
      let secondThread: boolean | null = null;
      const actual = await errorOf(readSnapshot(file, { ...parallel, chunkBytes, onEdgesThread: (used) => (secondThread = used) }));
      assert.equal(actual.code, expected.code, name);
      assert.equal(actual.message, expected.message, name);
      if (name !== 'cut-after-key') assert.equal(secondThread, true, `${name}: edges went to the second thread`);
    }
  }
});

test('edges on a second thread: aborting stops the read', async (t) => {
  const file = join(tempDir(t), 'wide.heapsnapshot');
  const text = wideSpec().toSnapshotText();
  writeFileSync(file, text);
  const controller = new AbortController();
  const pastEdges = text.indexOf('"edges":[') + 100;
  let secondThread: boolean | null = null;
  const onProgress = (progress: SnapshotProgress): void => {
    if (progress.done > pastEdges) controller.abort(new Error('stop'));
  };
  const options = { ...parallel, chunkBytes: 16, signal: controller.signal, onProgress, onEdgesThread: (used: boolean) => (secondThread = used) };
  await assert.rejects(readSnapshot(file, options), /stop/);
  assert.equal(secondThread, true, 'aborted while the second thread had `edges`');
});

async function errorOf(promise: Promise<unknown>): Promise<LeakfinderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(LeakfinderError.is(error), `expected a LeakfinderError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), 'one line');
    return error;
  }
  assert.fail('expected the read to fail');
}

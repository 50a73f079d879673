// Self-snapshot tests: a real heap of this process, written by v8.writeHeapSnapshot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeHeapSnapshot } from 'node:v8';
import { analyzeGraph } from './analyze-graph.js';
import { EdgeType, NodeType } from './graph.js';
import { readSnapshot } from './read.js';
import { explainAnalyzed, summarizeAnalyzed } from './summary.js';
import { computeShallowSizes } from './shallow-sizes.js';

class LeakfinderSelfProbe {
  constructor(readonly index: number) {}
}

const probes = new Map<string, LeakfinderSelfProbe>();
for (let i = 0; i < 1000; i++) probes.set(`session-${i.toString(16).padStart(16, '0')}`, new LeakfinderSelfProbe(i));

const dir = mkdtempSync(join(tmpdir(), 'lf-self-'));
const file = writeHeapSnapshot(join(dir, 'self.heapsnapshot'));
const analyzed = await analyzeGraph(await readSnapshot(file));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('finds exactly the 1,000 instances of a class declared here', () => {
  const rows = analyzed.classTable.filter((row) => row.className === 'LeakfinderSelfProbe');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.count, 1000);
  assert.ok(rows[0]!.retainedBytes >= rows[0]!.selfBytes && rows[0]!.selfBytes > 0);
  assert.equal(probes.size, 1000); // keeps the map alive until here
});

test('the group of the probes names the Map holding them and hides its keys', () => {
  const groups = summarizeAnalyzed(analyzed).filter((g) => g.className === 'LeakfinderSelfProbe');
  assert.equal(groups.reduce((sum, g) => sum + g.count, 0), 1000);
  const main = groups.find((g) => g.count === 1000);
  assert.ok(main !== undefined, JSON.stringify(groups));
  assert.match(main.signature, /^Map `probes`/);
  const [explained] = explainAnalyzed(analyzed, [main.key]);
  assert.equal(explained!.retainerPath.at(-1), 'LeakfinderSelfProbe');
  assert.ok(explained!.retainerPath.includes('Map `probes`'), explained!.retainerPath.join(' → '));
  assert.match(explained!.holder?.description ?? '', /Map `probes` in module analyze-graph\.test\.js/);
  assert.ok(!JSON.stringify(explained).includes('session-0000'), 'no heap strings in the explanation');
});

// A second, deliberately naive retained-size computation: remove a node, count what the root can no longer
// reach over the edges that count (the same edge rule, spelled out again here), add up the shallow sizes.
test('retained sizes agree with a naive removal-and-reachability computation', () => {
  const { graph, selfBytes, dominators } = analyzed;
  const { nodeCount, firstEdge, edgeTarget, edgeType, root } = graph;
  const owned = new Uint8Array(nodeCount);
  const stack: number[] = [];
  for (let e = firstEdge[root]!; e < firstEdge[root + 1]!; e++) {
    if (edgeType[e] === EdgeType.Shortcut) {
      owned[edgeTarget[e]!] = 1;
      stack.push(edgeTarget[e]!);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
      const t = edgeTarget[e]!;
      if (edgeType[e] !== EdgeType.Weak && owned[t] === 0) {
        owned[t] = 1;
        stack.push(t);
      }
    }
  }
  const counts = (from: number, to: number, e: number): boolean => {
    const type = edgeType[e]!;
    if (type === EdgeType.Weak || from === to) return false;
    if (from === root) return true;
    if (type === EdgeType.Shortcut) return false;
    if (type === EdgeType.Internal) {
      // The table's own edge to a WeakMap value does not count (the key's edge does).
      const table = /pair in WeakMap \(table @(\d+)\)$/.exec(graph.strings[graph.edgeName[e]!]!);
      if (table !== null && Number(table[1]) === graph.nodeObjectId[from]) return false;
    }
    return !(owned[to] === 1 && owned[from] === 0);
  };
  const reach = (removed: number): Uint8Array => {
    const seen = new Uint8Array(nodeCount);
    const queue = [root];
    seen[root] = 1;
    while (queue.length > 0) {
      const n = queue.pop()!;
      for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
        const t = edgeTarget[e]!;
        if (t === removed || seen[t] === 1 || !counts(n, t, e)) continue;
        seen[t] = 1;
        queue.push(t);
      }
    }
    return seen;
  };
  const all = reach(-1);
  // Probe a spread of nodes: user objects, big retainers, and a stride through everything.
  const candidates = new Set<number>();
  for (const row of analyzed.classTable.slice(0, 15)) candidates.add(row.sampleNode);
  for (let n = 1; n < nodeCount; n += Math.floor(nodeCount / 40)) candidates.add(n);
  let checked = 0;
  for (const node of candidates) {
    if (all[node] === 0 || node === root || graph.nodeType[node] === NodeType.Synthetic) continue;
    const without = reach(node);
    let naive = selfBytes[node]!;
    for (let n = 0; n < nodeCount; n++) if (all[n] === 1 && without[n] === 0 && n !== node) naive += selfBytes[n]!;
    assert.equal(dominators.retainedBytes[node], naive, `node ${node} (${graph.strings[graph.nodeName[node]!]})`);
    checked++;
  }
  assert.ok(checked >= 30, `checked ${checked}`);
});

test('the retainer tree and classes built on a second thread are the ones this thread builds', async () => {
  const graph = analyzed.graph;
  const parallel = await analyzeGraph(graph, { secondThread: true });
  const serial = await analyzeGraph(graph, { secondThread: false });
  assert.equal(parallel.usedSecondThread, true, 'the columns of a parsed file are shared, so the worker runs');
  assert.equal(serial.usedSecondThread, false);
  assert.deepEqual(parallel.retainerTree.parentEdge, serial.retainerTree.parentEdge);
  assert.deepEqual(parallel.retainerTree.parentNode, serial.retainerTree.parentNode);
  assert.deepEqual(parallel.classes.classOf, serial.classes.classOf);
  assert.deepEqual(parallel.classes.keys, serial.classes.keys);
  assert.deepEqual(parallel.classTable, serial.classTable);
  assert.ok(parallel.classes.keys.some((key) => /^\(closure\)@\d+:\d+:\d+$/.test(key)), 'closures are split by location');
  // And the tree is a real one: the probes' sample node has a path back to the root.
  const probe = parallel.classTable.find((row) => row.className === 'LeakfinderSelfProbe')!;
  assert.notEqual(parallel.retainerTree.parentEdge[probe.sampleNode], 0xffffffff);
});

test('parent nodes: the binary search per node and the one-pass array agree, and each parent edge is real', async () => {
  const { graph } = analyzed;
  const tree = (await analyzeGraph(graph, { secondThread: false })).retainerTree;
  const bySearch = new Uint32Array(graph.nodeCount);
  for (let n = 0; n < graph.nodeCount; n++) bySearch[n] = tree.parentOf(n); // before parentNode is built
  const parents = tree.parentNode;
  assert.deepEqual(bySearch, parents);
  let withParent = 0;
  for (let n = 0; n < graph.nodeCount; n++) {
    const edge = tree.parentEdge[n]!;
    if (edge === 0xffffffff) continue;
    withParent++;
    assert.equal(graph.edgeTarget[edge], n, `parent edge of node ${n} leads to it`);
    assert.ok(graph.firstEdge[parents[n]!]! <= edge && edge < graph.firstEdge[parents[n]! + 1]!, `edge ${edge} starts at parent ${parents[n]}`);
  }
  assert.ok(withParent > graph.nodeCount / 2, `${withParent} of ${graph.nodeCount} nodes have a parent`);
});

test('shallow sizes are computed in place: same heap total as the raw V8 sizes, and a second pass changes nothing', async () => {
  const raw = await readSnapshot(file);
  const rawTotal = raw.nodeSelfBytes.reduce((sum, size) => sum + size, 0);
  const { graph, selfBytes } = analyzed;
  assert.equal(selfBytes, graph.nodeSelfBytes);
  assert.equal(selfBytes.reduce((sum, size) => sum + size, 0), rawTotal);
  assert.notDeepEqual(selfBytes, raw.nodeSelfBytes, 'some internal storage moved to its owner');
  assert.deepEqual(computeShallowSizes(graph), selfBytes);
});

test('an abort that arrives while the analysis runs stops it at the next phase (the loop gets a turn)', async () => {
  const graph = await readSnapshot(file);
  const controller = new AbortController();
  // Fires on the first event-loop turn after analyzeGraph starts: without the turns between phases the
  // whole (synchronous) analysis would finish first and this abort would come too late.
  setTimeout(() => controller.abort(new Error('stop')), 0);
  await assert.rejects(analyzeGraph(graph, { signal: controller.signal, secondThread: false }), /stop/);
});

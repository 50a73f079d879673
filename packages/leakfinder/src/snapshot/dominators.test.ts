import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph } from '../../test/helpers/graph-builder.js';
import { computeDominators } from './dominators.js';
import { buildRetainers } from './retainers.js';
import { computeShallowSizes } from './shallow-sizes.js';

function analyse(spec: string) {
  const graph = buildGraph(spec);
  const dominators = computeDominators(graph, buildRetainers(graph), computeShallowSizes(graph));
  const id = (label: string): number => graph.spec.id(label);
  return { graph, dominators, id, retained: (label: string) => dominators.retainedBytes[id(label)], idom: (label: string) => dominators.dominator[id(label)] };
}

test('a diamond: the shared child is dominated by the top, not by either side', () => {
  const { retained, idom, id } = analyse('(root) -> App; App -> Left, Right; Left -> Shared:100; Right -> Shared');
  assert.equal(idom('Shared'), id('App'));
  assert.equal(retained('Left'), 10);
  assert.equal(retained('Right'), 10);
  assert.equal(retained('App'), 10 + 10 + 10 + 100);
});

test('a chain retains everything below it', () => {
  const { retained } = analyse('(root) -> A; A -> B; B -> C; C -> D:50');
  assert.equal(retained('A'), 80);
  assert.equal(retained('C'), 60);
});

test('weak edges retain nothing', () => {
  const { retained, idom, id } = analyse('(root) -> Cache, Owner; Cache -weak-> Value:100; Owner -> Value');
  assert.equal(retained('Cache'), 10);
  assert.equal(retained('Owner'), 110);
  assert.equal(idom('Value'), id('Owner'));
});

test('shortcut edges count only from the root', () => {
  const { retained } = analyse('(root) -> A, B; A -shortcut-> X:100; B -> X');
  assert.equal(retained('A'), 10);
  assert.equal(retained('B'), 110);
});

test('a cycle below one owner is retained by the owner', () => {
  const { retained, idom, id } = analyse('(root) -> Owner; Owner -> P; P -> Q; Q -> P');
  assert.equal(idom('Q'), id('P'));
  assert.equal(retained('Owner'), 30);
});

test('objects with only weak retainers hang off the root with their subgraph', () => {
  const { retained, idom, id, dominators } = analyse('(root) -> A; A -weak-> Orphan; Orphan -> Child:40');
  assert.equal(idom('Orphan'), id('(root)'));
  assert.equal(retained('Orphan'), 50);
  assert.equal(dominators.unreachableCount, 2);
});

test('the root retains every byte of the heap', () => {
  const { graph, dominators } = analyse('(root) -> A, B; A -> C:7; B -> C; C -> A; B -weak-> D:3');
  let total = 0;
  for (let n = 0; n < graph.nodeCount; n++) total += graph.nodeSelfBytes[n]!;
  assert.equal(dominators.retainedBytes[graph.root], total);
});

test('a clique retained only by itself hangs off the root node by node, as in DevTools', () => {
  // DevTools numbers such nodes last under the root and never fills their dominators in, so each one is
  // dominated by the root and its edges into the rest of the graph change nobody's dominator.
  const { retained, idom, id, graph, dominators } = analyse('(root) -> A; A -> B:40; P -> Q; Q -> P, B');
  assert.equal(idom('P'), id('(root)'));
  assert.equal(idom('Q'), id('(root)'));
  assert.equal(idom('B'), id('A'));
  assert.equal(retained('A'), 50);
  assert.equal(retained('P'), 10);
  assert.equal(retained('Q'), 10);
  assert.equal(dominators.retainedBytes[graph.root], 70);
  assert.equal(dominators.unreachableCount, 2);
});

test('a node with many retainers below different parents is dominated by their common ancestor', () => {
  // A hub (a hidden class, say) pointed at from deep inside two subtrees and from a sibling of one.
  const { idom, id } = analyse('(root) -> Top; Top -> L, R; L -> L1; L1 -> L2; L2 -> Hub; R -> R1; R1 -> Hub; L -> Hub#2; L1 -> Hub#2; L2 -> Hub#2');
  assert.equal(idom('Hub'), id('Top'));
  assert.equal(idom('Hub#2'), id('L'));
});

/**
 * Dominators straight from the definition, for random graphs: d dominates w if w cannot be reached from
 * the root without passing d. Edge rules as in the file comment of dominators.ts (weak edges and self
 * edges never count, shortcut edges only from the root, page-owned nodes ignore retainers that are not
 * page-owned), unreached nodes as DevTools handles them.
 */
function referenceDominators(count: number, edges: { from: number; to: number; type: string }[], self: Float64Array) {
  const owned = new Array<boolean>(count).fill(false);
  const ownedStack = edges.filter((e) => e.from === 0 && e.type === 'shortcut').map((e) => e.to);
  for (const n of ownedStack) owned[n] = true;
  while (ownedStack.length > 0) {
    const n = ownedStack.pop()!;
    for (const e of edges) {
      if (e.from === n && e.type !== 'weak' && !owned[e.to]) {
        owned[e.to] = true;
        ownedStack.push(e.to);
      }
    }
  }
  const counted = edges.filter(
    (e) => e.type !== 'weak' && e.from !== e.to && (e.from === 0 || (e.type !== 'shortcut' && (owned[e.from] || !owned[e.to]))),
  );
  const reach = (starts: number[], skip: number, allowed: (n: number) => boolean): boolean[] => {
    const seen = new Array<boolean>(count).fill(false);
    const stack = starts.filter((s) => s !== skip);
    for (const s of stack) seen[s] = true;
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (const e of counted) {
        if (e.from === n && e.to !== skip && !seen[e.to] && allowed(e.to)) {
          seen[e.to] = true;
          stack.push(e.to);
        }
      }
    }
    return seen;
  };
  const fromRoot = reach([0], -1, () => true);
  const orphans: number[] = [];
  for (let n = 1; n < count; n++) if (!fromRoot[n] && !counted.some((e) => e.to === n)) orphans.push(n);
  const fromOrphans = reach(orphans, -1, () => true);
  const inTree = (n: number): boolean => fromRoot[n]! || fromOrphans[n]!;
  // The graph the dominators are defined on: the root, its subgraph, and the orphans' subgraphs as if the
  // root held each orphan; the cliques hang off the root directly.
  const withoutNode = (d: number): boolean[] => {
    const seen = reach([0, ...orphans], d, inTree);
    seen[0] = d !== 0;
    return seen;
  };
  const dominatedBy: boolean[][] = [];
  for (let d = 0; d < count; d++) dominatedBy.push(withoutNode(d).map((reached, w) => inTree(w) && !reached));
  const dominator = new Array<number>(count).fill(0);
  for (let w = 1; w < count; w++) {
    if (!inTree(w)) continue;
    // The immediate dominator is the strict dominator that all the others dominate.
    const strict: number[] = [];
    for (let d = 0; d < count; d++) if (d !== w && (d === 0 || dominatedBy[d]![w])) strict.push(d);
    dominator[w] = strict.find((d) => strict.every((other) => other === d || other === 0 || dominatedBy[other]![d]))!;
  }
  const retained = Float64Array.from(self);
  const depth = (n: number): number => (n === 0 ? 0 : 1 + depth(dominator[n]!));
  const order = [...Array(count).keys()].filter((n) => n !== 0).sort((a, b) => depth(b) - depth(a));
  for (const n of order) retained[dominator[n]!]! += retained[n]!;
  return { dominator, retained };
}

test('random graphs: dominators and retained sizes agree with the definition', () => {
  // A small deterministic generator (no Math.random: a failure must be reproducible from the seed).
  let seed = 12345;
  const random = (below: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return Math.floor((seed / 2 ** 32) * below);
  };
  const types = ['property', 'property', 'property', 'element', 'internal', 'weak', 'shortcut'];
  for (let round = 0; round < 300; round++) {
    const count = 2 + random(14);
    const statements: string[] = [];
    for (let n = 1; n < count; n++) statements.push(`N${n}:${1 + random(50)}`);
    const label = (n: number): string => (n === 0 ? '(root)' : `N${n}`);
    const edgeCount = random(count * 3);
    for (let i = 0; i < edgeCount; i++) {
      const from = random(count);
      const to = random(count);
      const type = from === 0 && random(3) === 0 ? 'shortcut' : types[random(types.length)]!;
      statements.push(`${label(from)} -${type}-> ${label(to)}`);
    }
    const graph = buildGraph(statements.join('; '));
    const selfBytes = computeShallowSizes(graph);
    const { dominator, retainedBytes } = computeDominators(graph, null, selfBytes);
    const edges: { from: number; to: number; type: string }[] = [];
    graph.spec.nodes.forEach((node, from) => {
      for (const edge of node.edges) edges.push({ from, to: edge.to, type: edge.type });
    });
    const expected = referenceDominators(graph.nodeCount, edges, selfBytes);
    const spec = statements.join('; ');
    assert.deepEqual([...dominator], expected.dominator, `dominators of ${spec}`);
    assert.deepEqual([...retainedBytes], [...expected.retained], `retained sizes of ${spec}`);
  }
});

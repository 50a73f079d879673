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

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphSpec } from '../../test/helpers/graph-builder.js';
import { computeRetainerTree, renderPath } from './paths.js';
import { parseSnapshotBytes } from './read.js';

test('the global object of an inspector snapshot (`global / `, no url) prints as `global`', () => {
  const spec = new GraphSpec('(root) -shortcut-> Global; Global -> Cache; Cache -> Item');
  spec.nodes[spec.id('Global')]!.name = 'global / ';
  const graph = parseSnapshotBytes(spec.toSnapshotText());
  const path = renderPath(graph, computeRetainerTree(graph), spec.id('Item'));
  assert.deepEqual(path, ['(GC roots)', 'global', 'Cache `cache`', 'Item `item`']);
});

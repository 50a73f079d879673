import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeTracedSnapshot, traceNodeIdsOf, type ParsedSnapshot } from '../../test/helpers/traced-snapshot.js';
import { indexAllocationTraces, MalformedTraceError, rankAllocationStacks, type RawTraceSections } from './allocation-traces.js';

const fixtureUrl = new URL('../../../test/fixtures/traces/allocate-widgets.mjs', import.meta.url).href;

function sectionsOf(parsed: ParsedSnapshot): RawTraceSections {
  return {
    functionInfoFields: parsed.snapshot.meta['trace_function_info_fields'] as string[],
    functionInfos: parsed.trace_function_infos,
    traceNodeFields: parsed.snapshot.meta['trace_node_fields'] as string[],
    traceTree: parsed.trace_tree,
    strings: parsed.strings,
  };
}

let cached: Promise<ParsedSnapshot> | undefined;
function tracedWidgets(): Promise<ParsedSnapshot> {
  const kept: unknown[] = [];
  cached ??= (async () => {
    const fixture = (await import(fixtureUrl)) as { allocateWidgets: (kept: unknown[], a: number, b: number) => void };
    const parsed = await takeTracedSnapshot(() => fixture.allocateWidgets(kept, 300, 100));
    return parsed;
  })();
  return cached;
}

test('the stacks of real tracked objects name the allocating function first, with 1-based function positions', async () => {
  const parsed = await tracedWidgets();
  const index = indexAllocationTraces(sectionsOf(parsed));
  const { stacks, untracedCount } = rankAllocationStacks(index, traceNodeIdsOf(parsed, 'TraceWidget'));
  assert.equal(untracedCount, 0);
  assert.equal(stacks.length, 2);
  const [first, second] = stacks;
  assert.equal(first!.count, 300);
  assert.equal(first!.frames[0]!.functionName, 'makeFromA');
  assert.equal(first!.frames[0]!.scriptName, fixtureUrl);
  // V8 writes where the function starts (its parameter list): `function makeFromA(` is on line 9, column 19.
  assert.deepEqual([first!.frames[0]!.line, first!.frames[0]!.column], [9, 19]);
  assert.equal(first!.frames[1]!.functionName, 'allocateWidgets');
  assert.equal(second!.count, 100);
  assert.equal(second!.frames[0]!.functionName, 'makeFromB');
  assert.equal(second!.frames[0]!.line, 13);
  assert.ok(first!.frames.every((f) => f.functionName !== '(root)'), 'the synthetic (root) frame is dropped');
});

test('trace_function_infos is read to its end even when the header count is smaller', async () => {
  const parsed = await tracedWidgets();
  const rows = parsed.trace_function_infos.length / (parsed.snapshot.meta['trace_function_info_fields'] as string[]).length;
  const index = indexAllocationTraces(sectionsOf(parsed));
  assert.equal(index.functionCount, rows);
  assert.ok(parsed.snapshot.trace_function_count <= rows);
});

test('objects allocated before tracking began count as untraced, not as a stack', async () => {
  const parsed = await tracedWidgets();
  const index = indexAllocationTraces(sectionsOf(parsed));
  const { stacks, untracedCount } = rankAllocationStacks(index, [0, 0, 123456789]);
  assert.deepEqual(stacks, []);
  assert.equal(untracedCount, 3);
});

test('a malformed trace section is rejected with what is wrong', async () => {
  const parsed = await tracedWidgets();
  const good = sectionsOf(parsed);
  assert.throws(() => indexAllocationTraces({ ...good, traceTree: { not: 'an array' } }), MalformedTraceError);
  assert.throws(() => indexAllocationTraces({ ...good, traceTree: [1, 0, 0, 0] }), /not a multiple of 5/);
  assert.throws(() => indexAllocationTraces({ ...good, traceTree: [1, 999999, 0, 0, []] }), /function_info_index/);
  assert.throws(() => indexAllocationTraces({ ...good, functionInfos: [1, 2, 3] }), /not a multiple of 6/);
  assert.throws(() => indexAllocationTraces({ ...good, functionInfoFields: ['function_id'] }), /lacks name/);
});

test('a deep trace tree is walked without recursion', () => {
  const depth = 50_000;
  let tree: unknown[] = [];
  for (let id = depth; id >= 1; id--) tree = [id, id === 1 ? 0 : 1, 1, 16, tree];
  const index = indexAllocationTraces({
    functionInfoFields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    functionInfos: [0, 0, 1, 0, 0, 0, 7, 2, 3, 5, 4, 2],
    traceNodeFields: ['id', 'function_info_index', 'count', 'size', 'children'],
    traceTree: tree,
    strings: ['(root)', '', 'recurse', 'file:///r.js'],
  });
  const frames = index.stackOf(depth);
  assert.equal(frames.length, depth - 1);
  assert.deepEqual(frames[0], { functionName: 'recurse', scriptName: 'file:///r.js', scriptId: 5, line: 4, column: 2 });
});

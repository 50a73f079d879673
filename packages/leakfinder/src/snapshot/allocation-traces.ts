/**
 * Allocation stacks from the trace sections of a heap snapshot taken while
 * `HeapProfiler.startTrackingHeapObjects({ trackAllocations: true })` was on.
 *
 * V8 writes three things for this: `trace_function_infos` (one row per JS function seen on an allocation
 * stack), `trace_tree` (a call tree of those functions, nested arrays) and, per node, `trace_node_id`
 * (the call-tree node that was on top when the object was allocated; 0 = not tracked). A stack is the path
 * from that call-tree node up to the root. Pure: no I/O.
 *
 * V8 quirk: a frame's line and column are where the *function* starts (its parameter list), not the line of
 * the allocating statement; V8 records functions, not call sites. Refining the top frame to the `new X(`
 * line needs the source text, which the compose layer has (see `source-maps.ts`).
 */

/** One frame of an allocation stack, as V8 wrote it. `line`/`column` are 1-based; 0 means unknown. */
export interface RawFrame {
  readonly functionName: string;
  /** A path, a `file://` URL or `node:events`; '' for V8 builtins. */
  readonly scriptName: string;
  readonly scriptId: number;
  readonly line: number;
  readonly column: number;
}

/** One distinct allocation stack (top first) and how many of the given nodes were allocated on it. */
export interface AllocationStack {
  readonly frames: readonly RawFrame[];
  readonly count: number;
}

/** The raw trace sections as the snapshot reader keeps them (snake_case V8 names stop here). */
export interface RawTraceSections {
  /** `snapshot.meta.trace_function_info_fields`, e.g. `['function_id','name','script_name','script_id','line','column']`. */
  readonly functionInfoFields: readonly string[];
  /** `trace_function_infos`, flat. Read to its end: the header's `trace_function_count` can be too small. */
  readonly functionInfos: ArrayLike<number>;
  /** `snapshot.meta.trace_node_fields`, e.g. `['id','function_info_index','count','size','children']`. */
  readonly traceNodeFields: readonly string[];
  /** `trace_tree` as JSON.parse gives it: sibling nodes flattened into one array, `children` a nested array. */
  readonly traceTree: unknown;
  /** The snapshot's string table (names and script names are indexes into it). */
  readonly strings: readonly string[] | ((index: number) => string);
}

/** A parsed trace tree: per call-tree node id, its function and its parent; frames decoded once. */
export interface AllocationTraceIndex {
  /** Call-tree node ids that occur; anything else in `trace_node_id` is unknown. */
  readonly hasTraceNode: (traceNodeId: number) => boolean;
  /** Top-first frames for a call-tree node, without V8's synthetic `(root)` frame. Cached. */
  readonly stackOf: (traceNodeId: number) => readonly RawFrame[];
  readonly traceNodeCount: number;
  readonly functionCount: number;
}

/** Thrown by `indexAllocationTraces` when the sections do not have the shape V8 writes. */
export class MalformedTraceError extends Error {
  override name = 'MalformedTraceError';
}

const kNoParent = 0xffffffff;

/**
 * Parses the trace sections once. Throws `MalformedTraceError` (with what was wrong) on a shape that is not
 * V8's; callers turn that into a warning and go on without stacks.
 * @example
 * const index = indexAllocationTraces(sections);
 * index.stackOf(12)[0]; // { functionName: 'makeOne', scriptName: 'file:///app/server.js', line: 5, column: 17, … }
 */
export function indexAllocationTraces(sections: RawTraceSections): AllocationTraceIndex {
  const fnFields = sections.functionInfoFields;
  const fnStride = fnFields.length;
  const fName = fnFields.indexOf('name');
  const fScriptName = fnFields.indexOf('script_name');
  const fScriptId = fnFields.indexOf('script_id');
  const fLine = fnFields.indexOf('line');
  const fColumn = fnFields.indexOf('column');
  if (fnStride === 0 || fName < 0 || fScriptName < 0 || fLine < 0 || fColumn < 0) {
    throw new MalformedTraceError(`trace_function_info_fields lacks name/script_name/line/column: [${fnFields.join(', ')}]`);
  }
  const infos = sections.functionInfos;
  if (infos.length % fnStride !== 0) {
    throw new MalformedTraceError(`trace_function_infos has ${infos.length} numbers, not a multiple of ${fnStride} fields`);
  }
  const functionCount = infos.length / fnStride;

  const tnFields = sections.traceNodeFields;
  const tnStride = tnFields.length;
  const tId = tnFields.indexOf('id');
  const tFunction = tnFields.indexOf('function_info_index');
  const tChildren = tnFields.indexOf('children');
  if (tId < 0 || tFunction < 0 || tChildren < 0) {
    throw new MalformedTraceError(`trace_node_fields lacks id/function_info_index/children: [${tnFields.join(', ')}]`);
  }
  if (!Array.isArray(sections.traceTree)) throw new MalformedTraceError('trace_tree is not an array');

  // Ids are small dense integers (V8 numbers call-tree nodes 1, 2, …), so typed arrays indexed by id work;
  // they grow by doubling because the tree's size is not in the header.
  let parentOf = new Uint32Array(1024).fill(kNoParent);
  let functionOf = new Int32Array(1024).fill(-1);
  let traceNodeCount = 0;
  const ensure = (id: number): void => {
    if (id < parentOf.length) return;
    let size = parentOf.length;
    while (size <= id) size *= 2;
    const p = new Uint32Array(size).fill(kNoParent);
    p.set(parentOf);
    const f = new Int32Array(size).fill(-1);
    f.set(functionOf);
    parentOf = p;
    functionOf = f;
  };

  // Iterative walk: a deep recursion in the traced program gives a deep tree, and recursion here would overflow.
  const work: { siblings: unknown[]; parent: number }[] = [{ siblings: sections.traceTree, parent: kNoParent }];
  while (work.length > 0) {
    const { siblings, parent } = work.pop()!;
    if (siblings.length % tnStride !== 0) {
      throw new MalformedTraceError(`a trace_tree children array has ${siblings.length} items, not a multiple of ${tnStride}`);
    }
    for (let i = 0; i < siblings.length; i += tnStride) {
      const id = siblings[i + tId];
      const fn = siblings[i + tFunction];
      const children = siblings[i + tChildren];
      if (!isIndex(id) || !isIndex(fn) || fn >= functionCount || !Array.isArray(children)) {
        throw new MalformedTraceError(`trace_tree node at position ${i} is not [id, function_info_index < ${functionCount}, …, children[]]`);
      }
      if (id > 0x7ffffff) throw new MalformedTraceError(`trace_tree node id ${id} is implausibly large`);
      ensure(id);
      if (functionOf[id] !== -1) throw new MalformedTraceError(`trace_tree node id ${id} occurs twice`);
      functionOf[id] = fn;
      parentOf[id] = parent;
      traceNodeCount++;
      if (children.length > 0) work.push({ siblings: children, parent: id });
    }
  }

  const stringAt = typeof sections.strings === 'function' ? sections.strings : stringTable(sections.strings);
  const frameCache = new Map<number, RawFrame>();
  const frameOf = (fn: number): RawFrame => {
    let frame = frameCache.get(fn);
    if (frame === undefined) {
      const base = fn * fnStride;
      frame = {
        functionName: stringAt(infos[base + fName]!) || '(anonymous)',
        scriptName: stringAt(infos[base + fScriptName]!),
        scriptId: fScriptId < 0 ? 0 : infos[base + fScriptId]!,
        line: infos[base + fLine]!,
        column: infos[base + fColumn]!,
      };
      frameCache.set(fn, frame);
    }
    return frame;
  };
  const stackCache = new Map<number, readonly RawFrame[]>();
  const hasTraceNode = (id: number): boolean => id > 0 && id < functionOf.length && functionOf[id] !== -1;

  return {
    traceNodeCount,
    functionCount,
    hasTraceNode,
    stackOf(traceNodeId) {
      const cached = stackCache.get(traceNodeId);
      if (cached !== undefined) return cached;
      const frames: RawFrame[] = [];
      for (let id = traceNodeId; id !== kNoParent && hasTraceNode(id); id = parentOf[id]!) {
        const fn = functionOf[id]!;
        // The tree's root is V8's synthetic `(root)` function (index 0, no script): not a frame of the program.
        if (parentOf[id] === kNoParent && fn === 0) break;
        frames.push(frameOf(fn));
      }
      stackCache.set(traceNodeId, frames);
      return frames;
    },
  };
}

/**
 * Groups the given nodes by allocation stack and ranks the stacks by how many of the nodes each created
 * (most first; ties by first frame). Nodes without a trace (`traceNodeId` 0: allocated before tracking
 * began, or by the runtime) are counted in `untracedCount`.
 */
export function rankAllocationStacks(
  index: AllocationTraceIndex,
  traceNodeIds: Iterable<number>,
): { stacks: AllocationStack[]; untracedCount: number } {
  const countByTraceNode = new Map<number, number>();
  let untracedCount = 0;
  for (const id of traceNodeIds) {
    if (!index.hasTraceNode(id)) {
      untracedCount++;
      continue;
    }
    countByTraceNode.set(id, (countByTraceNode.get(id) ?? 0) + 1);
  }
  const stacks: AllocationStack[] = [];
  for (const [id, count] of countByTraceNode) {
    const frames = index.stackOf(id);
    if (frames.length === 0) untracedCount += count;
    else stacks.push({ frames, count });
  }
  stacks.sort((a, b) => b.count - a.count || frameKey(a.frames[0]!).localeCompare(frameKey(b.frames[0]!)));
  return { stacks, untracedCount };
}

/** A stable text key for a frame: `name@script:line:column`. */
export function frameKey(frame: RawFrame): string {
  return `${frame.functionName}@${frame.scriptName}:${frame.line}:${frame.column}`;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function stringTable(strings: readonly string[]): (index: number) => string {
  return (index) => strings[index] ?? '';
}

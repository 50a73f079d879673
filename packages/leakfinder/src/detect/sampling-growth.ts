/**
 * Live-byte growth per allocation stack between two sampling heap profiles (CDP `HeapProfiler.getSamplingProfile`
 * taken with `includeObjectsCollectedByMajorGC: false`, each after a full GC). Samples carry no object ids and
 * no class, so this answers "which stacks keep more live memory at the end of the window than at its start",
 * not "where were the leaked objects created"; the compose layer joins the two by the class name found in the
 * source (see `creation-sites.ts`). Pure.
 */
import type { AllocationStack, RawFrame } from '../snapshot/allocation-traces.js';

/** The parts of a CDP `SamplingHeapProfile` this reads (structural, so tests can build one). */
export interface SamplingProfile {
  readonly head: SamplingProfileNode;
  readonly samples: readonly { readonly size: number; readonly nodeId: number }[];
}

/** A node of a sampling profile's call tree; `lineNumber`/`columnNumber` are 0-based, of the function's start. */
export interface SamplingProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly scriptId: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly children: readonly SamplingProfileNode[];
}

/**
 * Stacks (top first, 1-based positions) whose sampled live bytes grew from `before` to `after`, ranked by
 * growth; `count` is the growth in sampled bytes. V8's synthetic `(root)` frame is dropped, and so are
 * `(V8 API)`/`(GC)`-style pseudo frames without a script, unless nothing else is left.
 */
export function growingSampledStacks(before: SamplingProfile | null, after: SamplingProfile): AllocationStack[] {
  const liveBefore = before === null ? new Map<number, number>() : liveBytesByNode(before);
  const liveAfter = liveBytesByNode(after);
  const parentOf = new Map<number, SamplingProfileNode | null>();
  const byId = new Map<number, SamplingProfileNode>();
  // Iterative: deep recursion in the profiled program gives a deep tree.
  const work: { node: SamplingProfileNode; parent: SamplingProfileNode | null }[] = [{ node: after.head, parent: null }];
  while (work.length > 0) {
    const { node, parent } = work.pop()!;
    byId.set(node.id, node);
    parentOf.set(node.id, parent);
    for (const child of node.children) work.push({ node: child, parent: node });
  }
  const stacks: AllocationStack[] = [];
  for (const [nodeId, bytes] of liveAfter) {
    const growth = bytes - (liveBefore.get(nodeId) ?? 0);
    if (growth <= 0) continue;
    const frames: RawFrame[] = [];
    for (let node = byId.get(nodeId) ?? null; node !== null && node !== undefined; node = parentOf.get(node.id) ?? null) {
      if (parentOf.get(node.id) === null) break; // the head is V8's `(root)`
      const call = node.callFrame;
      frames.push({
        functionName: call.functionName || '(anonymous)',
        scriptName: call.url,
        scriptId: Number(call.scriptId) || 0,
        line: call.lineNumber + 1,
        column: call.columnNumber + 1,
      });
    }
    if (frames.length > 0) stacks.push({ frames, count: growth });
  }
  return stacks.sort((a, b) => b.count - a.count);
}

function liveBytesByNode(profile: SamplingProfile): Map<number, number> {
  const bytes = new Map<number, number>();
  for (const sample of profile.samples) bytes.set(sample.nodeId, (bytes.get(sample.nodeId) ?? 0) + sample.size);
  return bytes;
}

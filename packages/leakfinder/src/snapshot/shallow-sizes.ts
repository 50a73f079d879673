/**
 * Self sizes as Chrome DevTools shows them ("shallow size"): V8-internal storage (hidden and array nodes,
 * external string data) that belongs to exactly one JS object is counted in that object. A Map then
 * costs its hash table and an Array its elements, which is what a user means by "how big is it".
 */
import { EdgeType, NodeType, type HeapGraph } from './graph.js';
import { knownStrings, type KnownStrings } from './known-strings.js';
import { sharedColumn } from './shared-column.js';

const unvisited = 0xffffffff;
const multipleOwners = 0xfffffffe;

/** The columns computeShallowSizes reads: no strings, so a second thread can run it (side-analysis.ts). */
export type ShallowSizeColumns = Pick<HeapGraph, 'nodeCount' | 'root' | 'nodeType' | 'nodeName' | 'nodeSelfBytes' | 'firstEdge' | 'edgeTarget' | 'edgeType'>;

/**
 * DevTools' `calculateShallowSizes`: every non-internal node owns itself; internal nodes reached (over
 * strong edges) from exactly one owner move their size into it. Snapshots without user roots (taken with
 * "expose internals") are left as they are, as DevTools does.
 *
 * `into` receives the result: a new shared column by default; `graph.nodeSelfBytes` itself computes them in
 * place (what analyzeGraph does, saving 8 bytes per node at the memory peak). The sum of all sizes, the
 * heap size, is the same either way, and running it again on shallow sizes changes nothing. `scratch`, when
 * given and at least 3 × nodeCount long, holds the pass's work arrays (its contents do not matter).
 */
export function computeShallowSizes(
  graph: ShallowSizeColumns & Partial<Pick<HeapGraph, 'strings'>>,
  known: KnownStrings = knownStrings(graph.strings ?? []),
  into: Float64Array = sharedColumn(Float64Array, graph.nodeCount),
  scratch?: Uint32Array,
): Float64Array {
  const { nodeCount, nodeType, firstEdge, edgeTarget, edgeType, root, nodeName } = graph;
  // Shared memory by default: analyzeGraph's second thread reads these for the class pass (side-analysis.ts).
  const sizes = into;
  if (sizes !== graph.nodeSelfBytes) sizes.set(graph.nodeSelfBytes);
  let hasUserRoots = false;
  for (let e = firstEdge[root]!, end = firstEdge[root + 1]!; e < end; e++) {
    const target = edgeTarget[e]!;
    if (nodeType[target] !== NodeType.Synthetic || nodeName[target] === known.documentDomTrees) hasUserRoots = true;
  }
  if (!hasUserRoots) return sizes;
  // `scratch` (3n, from a caller that runs several passes in a row) saves allocating 12 bytes per node.
  const reuse = scratch !== undefined && scratch.length >= nodeCount * 3;
  const owners = reuse ? scratch.subarray(0, nodeCount) : new Uint32Array(nodeCount);
  // Each node is pushed at most twice (see below), so 2n slots never overflow.
  const worklist = reuse ? scratch.subarray(nodeCount, nodeCount * 3) : new Uint32Array(nodeCount * 2);
  let top = 0;
  const externalStringData = known.externalStringData;
  for (let n = 0; n < nodeCount; n++) {
    const type = nodeType[n]!;
    const internal =
      type === NodeType.Hidden ||
      type === NodeType.Array ||
      (type === NodeType.Native && externalStringData >= 0 && nodeName[n] === externalStringData);
    if (internal) owners[n] = unvisited;
    else {
      owners[n] = n;
      worklist[top++] = n;
    }
  }
  while (top > 0) {
    const node = worklist[--top]!;
    const owner = owners[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if (edgeType[e] === EdgeType.Weak) continue;
      const target = edgeTarget[e]!;
      const current = owners[target]!;
      if (current === unvisited) {
        owners[target] = owner;
        worklist[top++] = target;
      } else if (current !== target && current !== owner && current !== multipleOwners) {
        // Each node enters the worklist at most twice (unvisited → owner → multiple), so this ends.
        owners[target] = multipleOwners;
        worklist[top++] = target;
      }
    }
  }
  for (let n = 0; n < nodeCount; n++) {
    const owner = owners[n]!;
    if (owner === unvisited || owner === multipleOwners || owner === n) continue;
    if (nodeType[owner] === NodeType.Synthetic || owner === root) continue; // pointless to charge these
    sizes[owner]! += sizes[n]!;
    sizes[n] = 0;
  }
  return sizes;
}

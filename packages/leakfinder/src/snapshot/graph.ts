/**
 * The heap as columns, one typed array per field, indexed by NodeId (0..n-1) and by edge ordinal. Edges of
 * node n are `firstEdge[n] ..< firstEdge[n + 1]` (CSR); `edgeTarget` holds NodeIds, never V8 field offsets.
 */
import type { RawTraceSections } from './allocation-traces.js';
import { EdgeType, NodeType } from './format.js';

export { EdgeType, NodeType };

/** A node's ordinal in one snapshot (0..nodeCount-1). V8's own, cross-snapshot id is `nodeObjectId[n]`. */
export type NodeId = number;

/** Where V8 says an object's code lives (closures, and objects through their constructor). 0-based as V8. */
export interface NodeLocations {
  readonly count: number;
  readonly nodeId: Uint32Array;
  readonly scriptId: Uint32Array;
  readonly line: Uint32Array;
  readonly column: Uint32Array;
}

/**
 * The allocation-trace sections, present when the snapshot was taken with allocation tracking on.
 * Shape: see docs/architecture.md ("Allocation traces on the snapshot"). `traceTree` is the nested array
 * V8 writes (`[id, functionInfoIndex, count, size, [children…]]`, siblings flattened).
 */
export type SnapshotTraces = RawTraceSections & { readonly functionInfos: Float64Array };

/** A parsed heap snapshot. All columns are dense typed arrays; strings are kept once. */
export interface HeapGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly root: NodeId;
  readonly nodeType: Uint8Array; // NodeType
  readonly nodeName: Uint32Array; // index into strings
  readonly nodeObjectId: Uint32Array; // V8's object id: stable across snapshots of one process
  /** V8's self sizes; after analyzeGraph, DevTools' shallow sizes (same sum: see computeShallowSizes). */
  readonly nodeSelfBytes: Float64Array;
  /** Allocation call-tree node per object (0 = not tracked); null when the snapshot has no such field. */
  readonly nodeTraceNodeId: Uint32Array | null;
  readonly firstEdge: Uint32Array; // length nodeCount + 1
  readonly edgeType: Uint8Array; // EdgeType
  /** For Element/Hidden edges the index; otherwise an index into strings. */
  readonly edgeName: Uint32Array;
  readonly edgeTarget: Uint32Array; // NodeId
  readonly strings: readonly string[];
  readonly locations: NodeLocations;
  readonly traces: SnapshotTraces | null;
}

/** The V8 name of a node: a constructor name, a function name, a string's text, `system / Context`… */
export function nodeNameOf(graph: HeapGraph, node: NodeId): string {
  return graph.strings[graph.nodeName[node]!] ?? '';
}

/** True for edges that carry a number (`element`, `hidden`) rather than a name. */
export function isIndexEdge(type: number): boolean {
  return type === EdgeType.Element || type === EdgeType.Hidden;
}

/** The raw name of an edge: a property/variable name, or the element index as text. */
export function edgeNameOf(graph: HeapGraph, edge: number): string {
  const type = graph.edgeType[edge]!;
  const name = graph.edgeName[edge]!;
  return isIndexEdge(type) ? String(name) : (graph.strings[name] ?? '');
}

/** The node an edge starts from (binary search in firstEdge; for paths and explanations, not hot loops). */
export function edgeSource(graph: Pick<HeapGraph, 'nodeCount' | 'firstEdge'>, edge: number): NodeId {
  const firstEdge = graph.firstEdge;
  let lo = 0;
  let hi = graph.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (firstEdge[mid]! <= edge) lo = mid;
    else hi = mid - 1;
  }
  // Nodes without edges share a firstEdge value; the owner is the last node whose range starts here
  // and is non-empty, which the search above lands on because ties move `lo` right.
  while (lo > 0 && firstEdge[lo + 1]! <= edge) lo++;
  return lo;
}

const locationIndexCache = new WeakMap<HeapGraph, Map<NodeId, number>>();

/** The code location V8 recorded for a node (closures, objects by constructor), 0-based; null if none. */
export function locationOf(graph: HeapGraph, node: NodeId): { scriptId: number; line: number; column: number } | null {
  let index = locationIndexCache.get(graph);
  if (index === undefined) {
    index = new Map();
    const loc = graph.locations;
    for (let i = 0; i < loc.count; i++) index.set(loc.nodeId[i]!, i);
    locationIndexCache.set(graph, index);
  }
  const i = index.get(node);
  if (i === undefined) return null;
  return { scriptId: graph.locations.scriptId[i]!, line: graph.locations.line[i]!, column: graph.locations.column[i]! };
}

/** The first edge of `node` with this type and name, or -1. */
export function findEdge(graph: HeapGraph, node: NodeId, type: number, name: string): number {
  for (let e = graph.firstEdge[node]!, end = graph.firstEdge[node + 1]!; e < end; e++) {
    if (graph.edgeType[e] === type && !isIndexEdge(type) && graph.strings[graph.edgeName[e]!] === name) return e;
  }
  return -1;
}

/** Sum of all self sizes: what the heap held when the snapshot was taken. */
export function totalSelfBytes(graph: HeapGraph): number {
  let total = 0;
  const self = graph.nodeSelfBytes;
  for (let n = 0; n < graph.nodeCount; n++) total += self[n]!;
  return total;
}

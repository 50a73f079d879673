/** Reverse edges (who points at a node), as CSR: retainers of n are `firstRetainer[n] ..< firstRetainer[n + 1]`. */
import type { HeapGraph } from './graph.js';

/** Reverse CSR of a HeapGraph. `retainerEdge` is the edge ordinal, `retainerNode` its source NodeId. */
export interface Retainers {
  readonly firstRetainer: Uint32Array;
  readonly retainerNode: Uint32Array;
  readonly retainerEdge: Uint32Array;
}

/** Builds the reverse edges in two passes over the edge columns (count, then fill). O(n + e). */
export function buildRetainers(graph: HeapGraph): Retainers {
  const { nodeCount, edgeCount, firstEdge, edgeTarget } = graph;
  const firstRetainer = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTarget[e]! + 1]!++;
  for (let n = 0; n < nodeCount; n++) firstRetainer[n + 1]! += firstRetainer[n]!;
  const retainerNode = new Uint32Array(edgeCount);
  const retainerEdge = new Uint32Array(edgeCount);
  // `cursor` is scratch: the next free slot per target. Freed when this returns.
  const cursor = firstRetainer.slice(0, nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const slot = cursor[edgeTarget[e]!]!++;
      retainerNode[slot] = n;
      retainerEdge[slot] = e;
    }
  }
  return { firstRetainer, retainerNode, retainerEdge };
}

/**
 * Immediate dominators and retained sizes, with the same edge rules as Chrome DevTools' heap snapshot
 * worker (HeapSnapshot.ts, `computeIsEssentialEdge`), so retained sizes agree with what DevTools shows:
 * - weak edges and self edges retain nothing; `shortcut` edges count only from the root (V8 uses them at the
 *   root to mark the global objects; elsewhere they duplicate a real path);
 * - a WeakMap value is held by its key and by the table; only the key's edge counts;
 * - "page-owned" objects (reachable from the root's shortcut targets, i.e. the global objects, without weak
 *   edges) ignore retainers that are not page-owned, except the root: otherwise handles held by the
 *   debugger or V8 internals would steal dominance of user objects;
 * - nodes without any counted retainer hang off the root with their subgraphs; nodes still unreached after
 *   that (cliques retained only by each other) are hung off the root one by one, as DevTools does.
 */
import { EdgeType, NodeType, type HeapGraph, type NodeId } from './graph.js';
import type { SnapshotProgress } from './read.js';
import type { Retainers } from './retainers.js';

/** The dominator tree and retained sizes, indexed by NodeId. */
export interface Dominators {
  /** Immediate dominator of each node; the root's is itself. */
  readonly dominator: Uint32Array;
  /** Self size plus the self sizes of everything the node dominates (bytes; shallow sizes as DevTools). */
  readonly retainedBytes: Float64Array;
  /** Nodes not reachable from the root over strong edges (counted, for warnings). */
  readonly unreachableCount: number;
}

/** Options for computeDominators. */
export interface DominatorOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SnapshotProgress) => void;
}

/**
 * Marks what DevTools calls page-owned nodes: everything reachable without weak edges from the root's
 * shortcut targets (the JS global objects) and from `(Document DOM trees)` in browser snapshots.
 */
function markPageOwned(graph: HeapGraph): Uint8Array {
  const { nodeCount, firstEdge, edgeTarget, edgeType, root } = graph;
  const owned = new Uint8Array(nodeCount);
  const stack = new Uint32Array(nodeCount);
  let top = 0;
  for (let e = firstEdge[root]!, end = firstEdge[root + 1]!; e < end; e++) {
    const target = edgeTarget[e]!;
    const type = edgeType[e]!;
    const isDomTreesRoot =
      type === EdgeType.Element &&
      graph.nodeType[target] === NodeType.Synthetic &&
      graph.strings[graph.nodeName[target]!] === '(Document DOM trees)';
    if ((type === EdgeType.Shortcut || isDomTreesRoot) && owned[target] === 0) {
      owned[target] = 1;
      stack[top++] = target;
    }
  }
  while (top > 0) {
    const node = stack[--top]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const target = edgeTarget[e]!;
      if (owned[target] !== 0 || edgeType[e] === EdgeType.Weak) continue;
      owned[target] = 1;
      stack[top++] = target;
    }
  }
  return owned;
}

/**
 * Lengauer–Tarjan ("A fast algorithm for finding dominators in a flowgraph", TOPLAS 1979,
 * doi:10.1145/357062.357071), the simple version with path compression, O(e log n). Variable names as in
 * the paper (semi, vertex, parent, ancestor, label, bucket), all in DFS-number space for locality.
 * DFS and path compression are iterative: heap graphs are millions of nodes deep in places and recursion
 * would overflow the stack.
 */
export function computeDominators(
  graph: HeapGraph,
  retainers: Retainers,
  selfBytes: Float64Array,
  options: DominatorOptions = {},
): Dominators {
  const { nodeCount, firstEdge, edgeTarget, root } = graph;
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: 'dominators', done: 0, total: nodeCount });
  const owned = markPageOwned(graph);

  const essential = essentialEdges(graph, owned);

  // 1. DFS numbering from the root: vertex[dfs] = node, pre[node] = dfs + 1 (0 = not reached).
  const pre = new Uint32Array(nodeCount);
  const vertex = new Uint32Array(nodeCount);
  const parent = new Uint32Array(nodeCount);
  let count = 0;
  let reachedFromRoot = 0;
  // The DFS stacks are reused below as `ancestor` and `label`: one less pair of n-sized arrays at the peak.
  const stackNode = new Int32Array(nodeCount);
  const stackEdge = new Int32Array(nodeCount);
  {
    const dfsFrom = (start: NodeId, parentDfs: number): void => {
      pre[start] = ++count;
      vertex[count - 1] = start;
      parent[count - 1] = parentDfs;
      let top = 0;
      stackNode[0] = start;
      stackEdge[0] = firstEdge[start]!;
      while (top >= 0) {
        const node = stackNode[top]!;
        const e = stackEdge[top]!;
        if (e >= firstEdge[node + 1]!) {
          top--;
          continue;
        }
        stackEdge[top] = e + 1;
        const target = edgeTarget[e]!;
        if (pre[target] !== 0 || essential[e] === 0) continue;
        pre[target] = ++count;
        vertex[count - 1] = target;
        parent[count - 1] = pre[node]! - 1;
        top++;
        stackNode[top] = target;
        stackEdge[top] = firstEdge[target]!;
      }
    };
    dfsFrom(root, 0);
    reachedFromRoot = count;
    if (count < nodeCount) {
      // DevTools' second pass: the subgraphs under nodes that no counted edge retains, in NodeId order.
      for (let n = 0; n < nodeCount; n++) {
        if (pre[n] === 0 && !hasEssentialRetainer(n, retainers, essential)) dfsFrom(n, 0);
      }
    }
    if (count < nodeCount) {
      // Third pass: what is left (cliques that only retain each other), numbered one by one under the root.
      for (let n = 0; n < nodeCount; n++) {
        if (pre[n] !== 0) continue;
        pre[n] = ++count;
        vertex[count - 1] = n;
        parent[count - 1] = 0;
      }
    }
  }
  options.signal?.throwIfAborted();

  // 2. Semidominators, buckets and implicit immediate dominators, in reverse DFS order.
  const N = count;
  const semi = new Int32Array(N);
  const idom = new Int32Array(N);
  const ancestor = stackNode.subarray(0, N).fill(-1);
  const label = stackEdge.subarray(0, N);
  const bucketHead = new Int32Array(N).fill(-1);
  const bucketNext = new Int32Array(N).fill(-1);
  for (let v = 0; v < N; v++) {
    semi[v] = v;
    label[v] = v;
  }
  const compressStack = new Int32Array(N);
  const evaluate = (v: number): number => {
    if (ancestor[v] === -1) return v;
    // compress(v), iteratively: collect the path up to the last node whose ancestor is a tree root…
    let depth = 0;
    let x = v;
    while (ancestor[ancestor[x]!]! !== -1) {
      compressStack[depth++] = x;
      x = ancestor[x]!;
    }
    // …then apply the updates top-down, as the recursion would on its way back.
    while (depth > 0) {
      const y = compressStack[--depth]!;
      const a = ancestor[y]!;
      if (semi[label[a]!]! < semi[label[y]!]!) label[y] = label[a]!;
      ancestor[y] = ancestor[a]!;
    }
    return label[v]!;
  };
  const progressStep = Math.max(1, Math.floor(N / 20));
  for (let w = N - 1; w > 0; w--) {
    if (w % progressStep === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: 'dominators', done: N - w, total: N });
    }
    const node = vertex[w]!;
    let semiW = semi[w]!;
    let orphan = true;
    for (let r = firstRetainer[node]!, end = firstRetainer[node + 1]!; r < end; r++) {
      if (essential[retainerEdge[r]!] === 0) continue;
      orphan = false;
      const u = evaluate(pre[retainerNode[r]!]! - 1);
      if (semi[u]! < semiW) semiW = semi[u]!;
    }
    // A node without counted retainers has the root as its only predecessor.
    if (orphan) semiW = 0;
    semi[w] = semiW;
    bucketNext[w] = bucketHead[semiW]!;
    bucketHead[semiW] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== -1; v = bucketNext[v]!) {
      const u = evaluate(v);
      idom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = -1;
  }
  // 3. Explicit immediate dominators, in DFS order.
  for (let w = 1; w < N; w++) {
    if (idom[w] !== semi[w]) idom[w] = idom[idom[w]!]!;
  }
  idom[0] = 0;

  // 4. Back to NodeIds; retained sizes by adding each node to its dominator, children before parents.
  options.onProgress?.({ phase: 'retained', done: 0, total: nodeCount });
  const dominator = new Uint32Array(nodeCount).fill(root);
  const retainedBytes = Float64Array.from(selfBytes);
  for (let w = N - 1; w > 0; w--) {
    const node = vertex[w]!;
    const dom = vertex[idom[w]!]!;
    dominator[node] = dom;
    retainedBytes[dom]! += retainedBytes[node]!;
  }
  dominator[root] = root;
  return { dominator, retainedBytes, unreachableCount: nodeCount - reachedFromRoot };
}

function hasEssentialRetainer(node: NodeId, retainers: Retainers, essential: Uint8Array): boolean {
  const { firstRetainer, retainerEdge } = retainers;
  for (let r = firstRetainer[node]!, end = firstRetainer[node + 1]!; r < end; r++) {
    if (essential[retainerEdge[r]!] !== 0) return true;
  }
  return false;
}

// `<index> / part of key (Foo @12) -> value (Bar @34) pair in WeakMap (table @56)`: V8's name for the
// table's edge to a WeakMap value; the number after `table @` is the table's object id.
const weakMapEdgeName = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/;

/** One byte per edge: 1 if the edge counts for dominance (see the file comment), else 0. */
function essentialEdges(graph: HeapGraph, owned: Uint8Array): Uint8Array {
  const { nodeCount, firstEdge, edgeTarget, edgeType, edgeName, root, strings, nodeObjectId } = graph;
  // Table ids of WeakMap value edges, by string index (only the few strings that match).
  const weakMapTable = new Map<number, number>();
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i]!;
    if (!text.endsWith(')') || !text.includes('pair in WeakMap')) continue;
    const match = weakMapEdgeName.exec(text);
    if (match !== null) weakMapTable.set(i, Number(match[1]));
  }
  const essential = new Uint8Array(graph.edgeCount);
  for (let n = 0; n < nodeCount; n++) {
    const isRoot = n === root;
    const ownedN = owned[n]!;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const type = edgeType[e]!;
      if (type === EdgeType.Weak) continue;
      const target = edgeTarget[e]!;
      if (target === n) continue;
      if (type === EdgeType.Internal && weakMapTable.size > 0) {
        const table = weakMapTable.get(edgeName[e]!);
        if (table !== undefined && table === nodeObjectId[n]) continue;
      }
      if (!isRoot) {
        if (type === EdgeType.Shortcut) continue;
        if (owned[target] !== 0 && ownedN === 0) continue;
      }
      essential[e] = 1;
    }
  }
  return essential;
}

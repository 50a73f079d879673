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

/** Scratch and results of numberNodes; the edge marks are dropped when it returns. */
interface Numbering {
  readonly pre: Uint32Array;
  readonly vertex: Uint32Array;
  readonly parent: Uint32Array;
  readonly stackNode: Int32Array;
  readonly stackEdge: Int32Array;
  readonly inDegree: Uint32Array;
  readonly predFirst: Uint32Array;
  readonly preds: Uint32Array;
  readonly bucketNext: Int32Array;
  readonly reachedFromRoot: number;
}

/**
 * Steps 0 and 1 of computeDominators: marks the counted edges, numbers the nodes in DFS order and builds
 * the predecessor lists. A function of its own so that the per-edge marks die before the main loop.
 */
function numberNodes(graph: HeapGraph, options: DominatorOptions): Numbering {
  const { nodeCount, firstEdge, edgeTarget, root } = graph;
  // All n-sized scratch of this pass and of the main loop in one allocation: a single large block is
  // mapped and unmapped as a whole, so it goes back to the system when the pass is over. Separate
  // arrays of a few tens of MiB each come from the C heap, where freed blocks stay resident and the
  // later phases' arrays pile up on top of them.
  const scratch = new ArrayBuffer(nodeCount * 4 * 7 + 4);
  const slot = (i: number): number => i * nodeCount * 4;
  // 0. Which edges count, and how many counted retainers each node has (NodeId space).
  const essential = new Uint8Array(graph.edgeCount);
  // `inDegree` later becomes the fill cursor of the predecessor lists, then the bucket heads.
  const inDegree = new Uint32Array(scratch, slot(0), nodeCount);
  markEssentialEdges(graph, markPageOwned(graph), essential, inDegree);

  // 1. DFS numbering from the root: vertex[dfs] = node, pre[node] = dfs + 1 (0 = not reached).
  const pre = new Uint32Array(scratch, slot(1), nodeCount);
  const vertex = new Uint32Array(scratch, slot(2), nodeCount);
  // `parent` becomes the dominators (a result), so it is not part of the scratch block.
  const parent = new Uint32Array(nodeCount);
  let count = 0;
  let reachedFromRoot = 0;
  // The DFS stacks are reused below as `ancestor` and `label`: one less pair of n-sized arrays at the peak.
  const stackNode = new Int32Array(scratch, slot(3), nodeCount);
  const stackEdge = new Int32Array(scratch, slot(4), nodeCount);
  const bucketNext = new Int32Array(scratch, slot(5), nodeCount);
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
        if (pre[n] === 0 && inDegree[n] === 0) dfsFrom(n, 0);
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
  const N = count; // every node is numbered by now

  // Predecessors (sources of counted edges) per DFS number, as DFS numbers: CSR in DFS order.
  const predFirst = new Uint32Array(scratch, slot(6), N + 1);
  for (let w = 0; w < N; w++) predFirst[w + 1] = predFirst[w]! + inDegree[vertex[w]!]!;
  const preds = new Uint32Array(predFirst[N]!);
  {
    const cursor = inDegree;
    cursor.set(predFirst.subarray(0, N));
    for (let n = 0; n < nodeCount; n++) {
      const from = pre[n]! - 1;
      for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
        if (essential[e] !== 0) preds[cursor[pre[edgeTarget[e]!]! - 1]!++] = from;
      }
    }
  }
  options.signal?.throwIfAborted();
  return { pre, vertex, parent, stackNode, stackEdge, inDegree, predFirst, preds, bucketNext, reachedFromRoot };
}

/**
 * Lengauer–Tarjan ("A fast algorithm for finding dominators in a flowgraph", TOPLAS 1979,
 * doi:10.1145/357062.357071), the simple version with path compression, O(e log n). Variable names as in
 * the paper (semi, vertex, parent, ancestor, label, bucket), all in DFS-number space for locality: the
 * predecessor lists are built once, in DFS order, holding DFS numbers and only the edges that count, so the
 * main loop reads them sequentially and never looks at an edge twice. DFS and path compression are
 * iterative: heap graphs are millions of nodes deep in places and recursion would overflow the stack.
 *
 * `retainers` is not needed (the predecessor lists are built here, smaller than the full reverse edges);
 * the parameter stays for callers that pass one.
 */
export function computeDominators(
  graph: HeapGraph,
  _retainers: Retainers | null,
  selfBytes: Float64Array,
  options: DominatorOptions = {},
): Dominators {
  const { nodeCount, root } = graph;
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: 'dominators', done: 0, total: nodeCount });
  const { pre, vertex, parent, stackNode, stackEdge, inDegree, predFirst, preds, bucketNext, reachedFromRoot } = numberNodes(graph, options);
  const N = nodeCount;

  // 2. Semidominators, buckets and implicit immediate dominators, in reverse DFS order. `pre` is done
  // with: its memory holds `semi`; the cursor's holds the bucket heads.
  const semi = new Int32Array(pre.buffer, pre.byteOffset, N);
  // `idom[v]` is written only for v >= w while `predFirst` is read at w: idom can live in its memory.
  const idom = new Int32Array(predFirst.buffer, predFirst.byteOffset, N);
  const ancestor = stackNode.subarray(0, N).fill(-1);
  const label = stackEdge.subarray(0, N);
  const bucketHead = new Int32Array(inDegree.buffer, inDegree.byteOffset, N).fill(-1);
  for (let v = 0; v < N; v++) {
    semi[v] = v;
    label[v] = v;
  }
  // Path compression depth is small in practice; the stack grows when a long path turns up.
  let compressStack = new Int32Array(1024);
  const evaluate = (v: number): number => {
    if (ancestor[v] === -1) return v;
    // compress(v), iteratively: collect the path up to the last node whose ancestor is a tree root…
    let depth = 0;
    let x = v;
    while (ancestor[ancestor[x]!]! !== -1) {
      if (depth === compressStack.length) {
        const grown = new Int32Array(depth * 2);
        grown.set(compressStack);
        compressStack = grown;
      }
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
  let nextStart = predFirst[N]!;
  for (let w = N - 1; w > 0; w--) {
    if (w % progressStep === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: 'dominators', done: N - w, total: N });
    }
    const start = predFirst[w]!;
    const end = nextStart;
    nextStart = start;
    // A node without counted retainers has the root as its only predecessor.
    let semiW = start === end ? 0 : semi[w]!;
    for (let r = start; r < end; r++) {
      const v = preds[r]!;
      // Most predecessors are not linked yet (their own DFS parent, say): no call needed for those.
      const u = ancestor[v] === -1 ? v : evaluate(v);
      if (semi[u]! < semiW) semiW = semi[u]!;
    }
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

  // 4. Back to NodeIds; retained sizes by adding each node to its dominator, children before parents
  // (reverse DFS order is a post-order of the dominator tree). `parent` is done with: its memory holds the
  // dominators.
  options.onProgress?.({ phase: 'retained', done: 0, total: nodeCount });
  const dominator = parent.fill(root);
  // The predecessor lists are done with; their memory (4 bytes per counted edge, usually more than 8 per
  // node) holds the retained sizes, so this step allocates nothing at the peak.
  const retainedBytes = preds.byteLength >= nodeCount * 8 ? new Float64Array(preds.buffer, 0, nodeCount) : new Float64Array(nodeCount);
  retainedBytes.set(selfBytes);
  for (let w = N - 1; w > 0; w--) {
    const node = vertex[w]!;
    const dom = vertex[idom[w]!]!;
    dominator[node] = dom;
    retainedBytes[dom]! += retainedBytes[node]!;
  }
  dominator[root] = root;
  return { dominator, retainedBytes, unreachableCount: nodeCount - reachedFromRoot };
}

// `<index> / part of key (Foo @12) -> value (Bar @34) pair in WeakMap (table @56)`: V8's name for the
// table's edge to a WeakMap value; the number after `table @` is the table's object id.
const weakMapEdgeName = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/;

/**
 * Marks the edges that count for dominance (see the file comment) with 1 in `essential`, and counts per
 * node how many such edges point at it in `inDegree`.
 */
function markEssentialEdges(graph: HeapGraph, owned: Uint8Array, essential: Uint8Array, inDegree: Uint32Array): void {
  const { nodeCount, firstEdge, edgeTarget, edgeType, edgeName, root, strings, nodeObjectId } = graph;
  // Table ids of WeakMap value edges, by string index (only the few strings that match).
  const weakMapTable = new Map<number, number>();
  // One byte per string says "a WeakMap value edge name": a heap with many WeakMap entries has as many
  // such names, and a Map lookup for every internal edge cost more than the rest of this pass.
  const isWeakMapName = new Uint8Array(strings.length);
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i]!;
    if (!text.endsWith(')') || !text.includes('pair in WeakMap')) continue;
    const match = weakMapEdgeName.exec(text);
    if (match !== null) {
      weakMapTable.set(i, Number(match[1]));
      isWeakMapName[i] = 1;
    }
  }
  const checkWeakMaps = weakMapTable.size > 0;
  for (let n = 0; n < nodeCount; n++) {
    const isRoot = n === root;
    const ownedN = owned[n]!;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const type = edgeType[e]!;
      if (type === EdgeType.Weak) continue;
      const target = edgeTarget[e]!;
      if (target === n) continue;
      if (checkWeakMaps && type === EdgeType.Internal && isWeakMapName[edgeName[e]!] === 1) {
        const table = weakMapTable.get(edgeName[e]!);
        if (table !== undefined && table === nodeObjectId[n]) continue;
      }
      if (!isRoot) {
        if (type === EdgeType.Shortcut) continue;
        if (ownedN === 0 && owned[target] !== 0) continue;
      }
      essential[e] = 1;
      inDegree[target]!++;
    }
  }
}

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
 * `stack` is n-sized scratch of the caller's.
 */
function markPageOwned(graph: HeapGraph, owned: Uint8Array, stack: Int32Array): void {
  const { firstEdge, edgeTarget, edgeType, root } = graph;
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
}

/**
 * What the counted-edge test needs besides the edge columns: the page-owned marks and the WeakMap value
 * edge names. Which edges count is decided on the fly in each pass over the edges (a byte per edge to
 * remember it would cost a pass and 1 byte per edge at the peak; the test itself is a few compares).
 * Per source node the test depends only on `ruleOf(node)`: 2 for the root (everything but weak and self
 * edges counts), 1 for a page-owned node, 0 for a node that is not (its edges into page-owned nodes
 * do not count).
 */
interface EdgeRules {
  readonly owned: Uint8Array;
  /** One byte per string: 1 if it is the name of a WeakMap value edge. */
  readonly isWeakMapName: Uint8Array;
  /** The table's object id of each such name, by string index. */
  readonly weakMapTable: Map<number, number>;
  readonly checkWeakMaps: boolean;
}

const RuleRoot = 2;

/** True if internal edge `e` of `node` is a WeakMap table's edge to a value (held by the key instead). */
function isWeakMapValueEdge(graph: HeapGraph, rules: EdgeRules, e: number, node: NodeId): boolean {
  const name = graph.edgeName[e]!;
  return rules.isWeakMapName[name] === 1 && rules.weakMapTable.get(name) === graph.nodeObjectId[node];
}

/** Scratch and results of numberNodes. */
interface Numbering {
  /** Per NodeId two words: the DFS number + 1 (0 = not reached), then the fill cursor (see numberNodes). */
  readonly nodeInfo: Int32Array;
  /** vertex[dfs] = NodeId. */
  readonly vertex: Int32Array;
  /** DFS parent per DFS number (the root's is 0). */
  readonly parent: Uint32Array;
  /** n words of scratch free for the caller. */
  readonly spare: Int32Array;
  readonly predFirst: Int32Array;
  readonly preds: Int32Array;
  readonly reachedFromRoot: number;
}

/**
 * Step 1 of computeDominators: numbers the nodes in DFS order over the counted edges and builds the
 * predecessor lists, in two passes over the edges (plus the page-owned walk): the DFS, which also counts
 * each node's counted retainers, then the fill of the lists.
 */
function numberNodes(graph: HeapGraph, rules: EdgeRules, options: DominatorOptions): Numbering {
  const { nodeCount, firstEdge, edgeTarget, edgeType, root } = graph;
  const { owned, checkWeakMaps } = rules;
  // All n-sized scratch of this pass and of the main loop in one allocation: a single large block is
  // mapped and unmapped as a whole, so it goes back to the system when the pass is over. Separate
  // arrays of a few tens of MiB each come from the C heap, where freed blocks stay resident and the
  // later phases' arrays pile up on top of them.
  const scratch = new ArrayBuffer(nodeCount * 4 * 6 + 4);
  const slot = (i: number): number => i * nodeCount * 4;
  // What the passes over the edges look up per target sits side by side, one cache miss instead of two
  // (the targets are all over the heap): nodeInfo[2n] = DFS number + 1 (0 = not reached), nodeInfo[2n + 1]
  // = counted retainers, then the fill cursor of the predecessor lists. Int32: all values < 2^31.
  const nodeInfo = new Int32Array(scratch, slot(0), 2 * nodeCount);
  const vertex = new Int32Array(scratch, slot(2), nodeCount);
  // `parent` (DFS numbers) becomes the dominators (a result), so it is not part of the scratch block.
  const parent = new Uint32Array(nodeCount);
  // The DFS stack, node and next edge side by side.
  const stack = new Int32Array(scratch, slot(3), 2 * nodeCount);
  markPageOwned(graph, owned, stack);

  let count = 0;
  // Iterative DFS from `start` (parent `parentDfs`). With `countEdges`, each counted edge met also adds
  // one to its target's count: the root's DFS meets every edge of the nodes it reaches exactly once.
  const dfsFrom = (start: NodeId, parentDfs: number, countEdges: boolean): void => {
    parent[count] = parentDfs;
    nodeInfo[2 * start] = ++count;
    vertex[count - 1] = start;
    let top = 0;
    stack[0] = start;
    stack[1] = firstEdge[start]!;
    frames: while (top >= 0) {
      const node = stack[top]!;
      const rule = node === root ? RuleRoot : owned[node]!;
      for (let e = stack[top + 1]!, end = firstEdge[node + 1]!; e < end; e++) {
        // The counted-edge test (see EdgeRules), inline: it runs for every edge.
        const type = edgeType[e]!;
        if (type === EdgeType.Weak) continue;
        const target = edgeTarget[e]!;
        if (target === node) continue;
        if (rule !== RuleRoot && (type === EdgeType.Shortcut || (rule === 0 && owned[target] !== 0))) continue;
        if (checkWeakMaps && type === EdgeType.Internal && isWeakMapValueEdge(graph, rules, e, node)) continue;
        if (countEdges) nodeInfo[2 * target + 1]!++;
        if (nodeInfo[2 * target] !== 0) continue;
        stack[top + 1] = e + 1;
        parent[count] = nodeInfo[2 * node]! - 1;
        nodeInfo[2 * target] = ++count;
        vertex[count - 1] = target;
        top += 2;
        stack[top] = target;
        stack[top + 1] = firstEdge[target]!;
        continue frames;
      }
      top -= 2;
    }
  };
  dfsFrom(root, 0, true);
  const reachedFromRoot = count;
  if (count < nodeCount) {
    // The root's DFS counted the retainers from the nodes it reached; count those from the others.
    for (let n = 0; n < nodeCount; n++) {
      if (nodeInfo[2 * n] !== 0) continue;
      const rule = n === root ? RuleRoot : owned[n]!;
      for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
        const type = edgeType[e]!;
        if (type === EdgeType.Weak) continue;
        const target = edgeTarget[e]!;
        if (target === n) continue;
        if (rule !== RuleRoot && (type === EdgeType.Shortcut || (rule === 0 && owned[target] !== 0))) continue;
        if (checkWeakMaps && type === EdgeType.Internal && isWeakMapValueEdge(graph, rules, e, n)) continue;
        nodeInfo[2 * target + 1]!++;
      }
    }
    // DevTools' second pass: the subgraphs under nodes that no counted edge retains, in NodeId order.
    for (let n = 0; n < nodeCount; n++) {
      if (nodeInfo[2 * n] === 0 && nodeInfo[2 * n + 1] === 0) dfsFrom(n, 0, false);
    }
  }
  if (count < nodeCount) {
    // Third pass: what is left (cliques that only retain each other), numbered one by one under the root.
    for (let n = 0; n < nodeCount; n++) {
      if (nodeInfo[2 * n] !== 0) continue;
      parent[count] = 0;
      nodeInfo[2 * n] = ++count;
      vertex[count - 1] = n;
    }
  }
  options.signal?.throwIfAborted();
  const N = count; // every node is numbered by now

  // Predecessors (sources of counted edges) per DFS number, as DFS numbers: CSR in DFS order. The count
  // of each node becomes the fill cursor: where its list starts.
  const predFirst = new Int32Array(scratch, slot(5), N + 1);
  for (let w = 0; w < N; w++) {
    const i = 2 * vertex[w]! + 1;
    const start = predFirst[w]!;
    predFirst[w + 1] = start + nodeInfo[i]!;
    nodeInfo[i] = start;
  }
  const preds = new Int32Array(predFirst[N]!);
  for (let n = 0; n < nodeCount; n++) {
    const from = nodeInfo[2 * n]! - 1;
    const rule = n === root ? RuleRoot : owned[n]!;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const type = edgeType[e]!;
      if (type === EdgeType.Weak) continue;
      const target = edgeTarget[e]!;
      if (target === n) continue;
      if (rule !== RuleRoot && (type === EdgeType.Shortcut || (rule === 0 && owned[target] !== 0))) continue;
      if (checkWeakMaps && type === EdgeType.Internal && isWeakMapValueEdge(graph, rules, e, n)) continue;
      preds[nodeInfo[2 * target + 1]!++] = from;
    }
  }
  options.signal?.throwIfAborted();
  return { nodeInfo, vertex, parent, spare: new Int32Array(scratch, slot(3), nodeCount), predFirst, preds, reachedFromRoot };
}

/**
 * Semidominators as in Lengauer–Tarjan ("A fast algorithm for finding dominators in a flowgraph", TOPLAS
 * 1979, doi:10.1145/357062.357071: the simple version, eval with path compression), then the immediate
 * dominators from them as in SEMI-NCA (Georgiadis, "Linear-time algorithms for dominators and related
 * problems", 2005): idom(w) is the nearest common ancestor of parent(w) and semi(w) in the dominator tree,
 * found by walking up from parent(w). That replaces LT's buckets and second eval per node.
 *
 * Everything is in DFS-number space for locality: the predecessor lists are built once, in DFS order,
 * holding DFS numbers and only the edges that count, so the main loop reads them sequentially and never
 * looks at an edge twice. DFS and path compression are iterative: heap graphs are millions of nodes deep
 * in places and recursion would overflow the stack.
 *
 * Unreached nodes are handled as DevTools' loader handles them (so retained sizes agree node for node):
 * nodes without counted retainers hang off the root with their subgraphs (no predecessor: the root is
 * their semidominator); the rest (cliques), numbered after everything else with the root as DFS parent,
 * get the root as dominator, and their edges into the other nodes change nothing (their semidominators
 * are numbered above every other node, so they never win a minimum).
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
  const rules = edgeRules(graph);
  const { nodeInfo, vertex, parent, spare, predFirst, preds, reachedFromRoot } = numberNodes(graph, rules, options);
  const N = nodeCount;

  // 2. Semidominators, in reverse DFS order. The forest of eval/link is the DFS tree restricted to the
  // nodes processed so far (numbers > w, each linked to its parent when processed), so "v is linked" is
  // just v > w and the links need no initialisation. `best[v]` is the smallest semi on v's compressed path
  // (the semi of LT's label[v]): one load instead of two dependent ones. `nodeInfo` is done with: its
  // memory holds `ancestor` and `best`.
  const ancestor = nodeInfo.subarray(0, N);
  const best = nodeInfo.subarray(N, 2 * N);
  const semi = spare;
  // Path compression depth is small in practice; the stack grows when a long path turns up.
  let compressStack = new Int32Array(1024);
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
    let semiW = start === end ? 0 : w;
    for (let r = start; r < end; r++) {
      const v = preds[r]!;
      if (v < w) {
        // Not processed yet: eval(v) is v and semi[v] is v.
        if (v < semiW) semiW = v;
        continue;
      }
      // eval(v): compress v's path (iteratively: collect the nodes whose ancestor is linked…
      let depth = 0;
      for (let x = v; ancestor[x]! > w; x = ancestor[x]!) {
        if (depth === compressStack.length) {
          const grown = new Int32Array(depth * 2);
          grown.set(compressStack);
          compressStack = grown;
        }
        compressStack[depth++] = x;
      }
      // …then apply the updates top-down, as the recursion would on its way back).
      while (depth > 0) {
        const y = compressStack[--depth]!;
        const a = ancestor[y]!;
        if (best[a]! < best[y]!) best[y] = best[a]!;
        ancestor[y] = ancestor[a]!;
      }
      if (best[v]! < semiW) semiW = best[v]!;
    }
    semi[w] = semiW;
    ancestor[w] = parent[w]!;
    best[w] = semiW;
  }

  // 3. Immediate dominators in DFS order (SEMI-NCA): up the dominator tree from the parent until at or
  // above the semidominator. `best` is done with: its memory holds `idom`.
  const idom = best;
  idom[0] = 0;
  for (let w = 1; w < N; w++) {
    const s = semi[w]!;
    let d = parent[w]!;
    while (d > s) d = idom[d]!;
    idom[w] = d;
  }

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

/** The inputs of the counted-edge test (see EdgeRules); `owned` is filled by numberNodes. */
function edgeRules(graph: HeapGraph): EdgeRules {
  const { strings } = graph;
  // Table ids of WeakMap value edges, by string index (only the few strings that match).
  const weakMapTable = new Map<number, number>();
  // One byte per string says "a WeakMap value edge name": a heap with many WeakMap entries has as many
  // such names, and a Map lookup for every internal edge cost more than the rest of the test.
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
  return { owned: new Uint8Array(graph.nodeCount), isWeakMapName, weakMapTable, checkWeakMaps: weakMapTable.size > 0 };
}

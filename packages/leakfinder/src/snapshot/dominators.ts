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

/** Per-node flags of the counted-edge test (see EdgeRules); FlagRoot is added by ruleOf, never stored. */
const FlagOwned = 1;
const FlagWeakMapTable = 2;
const FlagRoot = 4;

/**
 * What the counted-edge test needs besides the edge columns. Which edges count is decided on the fly in
 * each pass over the edges (a byte per edge to remember it would cost a pass and 1 byte per edge at the
 * peak). Per source node the test depends on its flags: for almost every node just FlagOwned, and then
 * the test is "not weak, not a self edge, not a shortcut", inline; the root, the nodes that are not
 * page-owned and the WeakMap tables go through `countsSlow`.
 */
interface EdgeRules {
  /** Per node: FlagOwned, FlagWeakMapTable (its object id is named as a table in a WeakMap value edge). */
  readonly flags: Uint8Array;
  /** One byte per string: 1 if it is the name of a WeakMap value edge. */
  readonly isWeakMapName: Uint8Array;
  /** The table's object id of each such name, by string index. */
  readonly weakMapTableOf: Uint32Array;
}

/** The rule of a source node: its flags, plus FlagRoot for the root. */
function ruleOf(flags: Uint8Array, node: NodeId, root: NodeId): number {
  return node === root ? flags[node]! | FlagRoot : flags[node]!;
}

/**
 * The counted-edge test (see the file comment) for an edge that is neither weak nor a self edge, from a
 * node whose rule is not plain FlagOwned.
 */
function countsSlow(graph: HeapGraph, rules: EdgeRules, rule: number, e: number, node: NodeId, type: number, target: NodeId): boolean {
  if ((rule & FlagWeakMapTable) !== 0 && type === EdgeType.Internal) {
    // A WeakMap value is held by its key and by the table; only the key's edge counts.
    const name = graph.edgeName[e]!;
    if (rules.isWeakMapName[name] === 1 && rules.weakMapTableOf[name] === graph.nodeObjectId[node]) return false;
  }
  if ((rule & FlagRoot) !== 0) return true;
  if (type === EdgeType.Shortcut) return false;
  return (rule & FlagOwned) !== 0 || (rules.flags[target]! & FlagOwned) === 0;
}

/** Scratch and results of numberNodes. */
interface Numbering {
  /** dominator | retainedBytes, see numberNodes. */
  readonly results: ArrayBuffer;
  readonly retainedOffset: number;
  /** Per NodeId two words: the DFS number + 1 (0 = not reached), then the fill cursor (see numberNodes). */
  readonly nodeInfo: Int32Array;
  /** vertex[dfs] = NodeId. */
  readonly vertex: Int32Array;
  /** DFS parent per DFS number; the root (0) for the DFS starts and the cliques, which have none. */
  readonly parent: Uint32Array;
  /** n words of scratch free for the caller. */
  readonly spare: Int32Array;
  /** The predecessor list of DFS number w: preds[predFirst[w] ..< predFirst[w + 1]]. */
  readonly predFirst: Int32Array;
  readonly preds: Int32Array;
  /** DFS numbers from here on are the cliques of the third pass (N if none). */
  readonly firstLeft: number;
  readonly reachedFromRoot: number;
}

/**
 * Marks what DevTools calls page-owned nodes (FlagOwned): everything reachable without weak edges from the
 * root's shortcut targets (the JS global objects) and from `(Document DOM trees)` in browser snapshots.
 * On the way it counts the counted retainers of each node (`nodeInfo[2n + 1]`, see numberNodes) from the
 * nodes it walks: their edges count or not whatever their targets are, since the sources are page-owned
 * (almost every node: the globals hold nearly everything). Then the edges of the rest (the root, nodes
 * that are not page-owned) are counted with the page-owned marks complete. Returns the number of counted
 * edges. `stack` is n-sized scratch of the caller's.
 */
function markPageOwnedAndCount(graph: HeapGraph, rules: EdgeRules, nodeInfo: Int32Array, stack: Int32Array): number {
  const { nodeCount, firstEdge, edgeTarget, edgeType, root } = graph;
  const flags = rules.flags;
  let total = 0;
  let top = 0;
  for (let e = firstEdge[root]!, end = firstEdge[root + 1]!; e < end; e++) {
    const target = edgeTarget[e]!;
    const type = edgeType[e]!;
    const isDomTreesRoot =
      type === EdgeType.Element &&
      graph.nodeType[target] === NodeType.Synthetic &&
      graph.strings[graph.nodeName[target]!] === '(Document DOM trees)';
    if ((type === EdgeType.Shortcut || isDomTreesRoot) && (flags[target]! & FlagOwned) === 0) {
      flags[target]! |= FlagOwned;
      stack[top++] = target;
    }
  }
  while (top > 0) {
    const node = stack[--top]!;
    // The root's edges follow the root's rule, counted below.
    const rule = node === root ? 0 : flags[node]!;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      const type = edgeType[e]!;
      if (type === EdgeType.Weak) continue;
      const target = edgeTarget[e]!;
      const flag = flags[target]!;
      if ((flag & FlagOwned) === 0) {
        flags[target] = flag | FlagOwned;
        stack[top++] = target;
      }
      if (target === node || rule === 0) continue;
      if (rule === FlagOwned ? type === EdgeType.Shortcut : !countsSlow(graph, rules, rule, e, node, type, target)) continue;
      nodeInfo[2 * target + 1]!++;
      total++;
    }
  }
  for (let n = 0; n < nodeCount; n++) {
    if ((flags[n]! & FlagOwned) !== 0 && n !== root) continue;
    const rule = ruleOf(flags, n, root);
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const type = edgeType[e]!;
      if (type === EdgeType.Weak) continue;
      const target = edgeTarget[e]!;
      if (target === n || !countsSlow(graph, rules, rule, e, n, type, target)) continue;
      nodeInfo[2 * target + 1]!++;
      total++;
    }
  }
  return total;
}

/**
 * Step 1 of computeDominators: numbers the nodes in DFS order over the counted edges and fills the
 * predecessor lists as it goes, one pass over the edges after the page-owned walk (which counted them).
 * The lists are laid out in DFS order: a node's list starts where the previous number's ended, so its
 * place is known the moment the node gets its number, and every counted edge into a node is met after
 * that (the DFS reaches a node through the first of them). The lists leave out the DFS tree edges: the
 * main loop starts from the parent anyway, and most nodes have no other counted retainer.
 */
function numberNodes(graph: HeapGraph, rules: EdgeRules, options: DominatorOptions): Numbering {
  const { nodeCount, firstEdge, edgeTarget, edgeType, root } = graph;
  const { flags } = rules;
  // Large blocks, each mapped and unmapped as a whole, so it goes back to the system when the pass is
  // over (separate arrays of a few tens of MiB each come from the C heap, where freed blocks stay
  // resident and the later phases' arrays pile up on top of them):
  // - the results, dominators then retained sizes (8-byte aligned), in one block that callers keep;
  //   before that, the DFS parents are where the dominators go and `nodeInfo` is where the retained
  //   sizes go, so the results cost nothing at the peak and nothing is kept that is not a result;
  // - everything else n-sized.
  const retainedOffset = Math.ceil(nodeCount / 2) * 8;
  const results = new ArrayBuffer(retainedOffset + nodeCount * 8);
  const scratch = new ArrayBuffer(nodeCount * 4 * 4 + 4);
  const slot = (i: number): number => i * nodeCount * 4;
  // `parent` (DFS numbers) becomes the dominators.
  const parent = new Uint32Array(results, 0, nodeCount);
  // What the DFS looks up per edge target sits side by side, one cache miss instead of two (the targets
  // are all over the heap): nodeInfo[2n] = DFS number + 1 (0 = not reached), nodeInfo[2n + 1] = counted
  // retainers, from the number on the fill cursor of the node's predecessor list. Int32: all < 2^31.
  const nodeInfo = new Int32Array(results, retainedOffset, 2 * nodeCount);
  const vertex = new Int32Array(scratch, slot(0), nodeCount);
  // The DFS stack, node and next edge side by side.
  const stack = new Int32Array(scratch, slot(1), 2 * nodeCount);
  const predFirst = new Int32Array(scratch, slot(3), nodeCount + 1);
  const total = markPageOwnedAndCount(graph, rules, nodeInfo, stack);
  // Every node with a counted retainer, but the root, is reached through a tree edge, which the lists leave
  // out (except the cliques of the third pass below: their lists grow there).
  let reachedByTreeEdge = 0;
  for (let n = 0; n < nodeCount; n++) if (nodeInfo[2 * n + 1] !== 0 && n !== root) reachedByTreeEdge++;
  let preds = new Int32Array(total - reachedByTreeEdge);

  let count = 0;
  let listEnd = 0;
  let reachedFromRoot = 0;
  // Iterative DFS from the root, then DevTools' second pass: DFS from each node that no counted edge
  // retains (its subgraph hangs off the root), in NodeId order. (A node not numbered yet still has its
  // count of retainers in nodeInfo[2n + 1].) One loop with local counters rather than a closure called
  // per start: V8 keeps variables a closure writes in memory, not in registers.
  let nextStart = -1;
  for (let start = root; ; ) {
    // Number `start` (see the loop below); no tree edge into it.
    parent[count] = 0;
    predFirst[count] = listEnd;
    listEnd += nodeInfo[2 * start + 1]!;
    nodeInfo[2 * start + 1] = predFirst[count]!;
    vertex[count] = start;
    nodeInfo[2 * start] = ++count;
    let top = 0;
    stack[0] = start;
    stack[1] = firstEdge[start]!;
    frames: while (top >= 0) {
      const node = stack[top]!;
      const from = nodeInfo[2 * node]! - 1;
      const rule = ruleOf(flags, node, root);
      for (let e = stack[top + 1]!, end = firstEdge[node + 1]!; e < end; e++) {
        // The counted-edge test (see EdgeRules), inline: it runs for every edge.
        const type = edgeType[e]!;
        if (type === EdgeType.Weak) continue;
        const target = edgeTarget[e]!;
        if (target === node) continue;
        if (rule === FlagOwned ? type === EdgeType.Shortcut : !countsSlow(graph, rules, rule, e, node, type, target)) continue;
        if (nodeInfo[2 * target] === 0) {
          // Tree edge: the target gets the next DFS number and its predecessor list the next stretch,
          // one shorter than its count (this edge).
          parent[count] = from;
          predFirst[count] = listEnd;
          listEnd += nodeInfo[2 * target + 1]! - 1;
          nodeInfo[2 * target + 1] = predFirst[count]!;
          vertex[count] = target;
          nodeInfo[2 * target] = ++count;
          stack[top + 1] = e + 1;
          top += 2;
          stack[top] = target;
          stack[top + 1] = firstEdge[target]!;
          continue frames;
        }
        preds[nodeInfo[2 * target + 1]!++] = from;
      }
      top -= 2;
    }
    if (start === root) reachedFromRoot = count;
    if (count === nodeCount) break;
    do nextStart++;
    while (nextStart < nodeCount && (nodeInfo[2 * nextStart] !== 0 || nodeInfo[2 * nextStart + 1] !== 0));
    if (nextStart === nodeCount) break;
    start = nextStart;
  }
  const firstLeft = count;
  if (count < nodeCount) {
    // Third pass: what is left (cliques that only retain each other), numbered one by one under the root
    // (no tree edge into them: their lists are one longer than budgeted above), then their edges go into
    // the lists (their targets all have numbers by then).
    for (let n = 0; n < nodeCount; n++) {
      if (nodeInfo[2 * n] !== 0) continue;
      parent[count] = 0;
      predFirst[count] = listEnd;
      listEnd += nodeInfo[2 * n + 1]!;
      nodeInfo[2 * n + 1] = predFirst[count]!;
      vertex[count] = n;
      nodeInfo[2 * n] = ++count;
    }
    const grown = new Int32Array(listEnd);
    grown.set(preds);
    preds = grown;
    for (let w = firstLeft; w < count; w++) {
      const n = vertex[w]!;
      const rule = ruleOf(flags, n, root);
      for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
        const type = edgeType[e]!;
        if (type === EdgeType.Weak) continue;
        const target = edgeTarget[e]!;
        if (target === n || !countsSlow(graph, rules, rule, e, n, type, target)) continue;
        preds[nodeInfo[2 * target + 1]!++] = w;
      }
    }
  }
  predFirst[count] = listEnd;
  options.signal?.throwIfAborted();
  return { results, retainedOffset, nodeInfo, vertex, parent, spare: new Int32Array(scratch, slot(1), nodeCount), predFirst, preds, firstLeft, reachedFromRoot };
}

/**
 * Semidominators as in Lengauer–Tarjan ("A fast algorithm for finding dominators in a flowgraph", TOPLAS
 * 1979, doi:10.1145/357062.357071: the simple version, eval with path compression), then the immediate
 * dominators from them as in SEMI-NCA (Georgiadis, "Linear-time algorithms for dominators and related
 * problems", 2005): idom(w) is the nearest common ancestor of parent(w) and semi(w) in the dominator tree,
 * found by walking up from parent(w). That replaces LT's buckets and second eval per node.
 *
 * Everything is in DFS-number space for locality: the predecessor lists are built once, in DFS order,
 * holding DFS numbers and only the edges that count (less the DFS tree edges: each node's semidominator
 * search starts from its parent), so the main loop reads them sequentially and never looks at an edge
 * twice. Nearly every predecessor left is numbered after its target (cross and back edges), so each costs
 * an eval. DFS and path compression are iterative: heap graphs are millions of nodes deep in places and
 * recursion would overflow the stack.
 *
 * Unreached nodes are handled as DevTools' loader handles them (so retained sizes agree node for node):
 * nodes without counted retainers hang off the root with their subgraphs (the root is their DFS parent and
 * semidominator); the rest (cliques), numbered after everything else with the root as DFS parent, get
 * the root as dominator, and their edges into the other nodes change nothing (their semidominators are
 * numbered above every other node, so they never win a minimum).
 *
 * `retainers` is not needed (the predecessor lists are built here, smaller than the full reverse edges);
 * the parameter stays for callers that pass one. `selfBytes` may be a function returning them: it is
 * called only when the retained sizes are summed, at the very end, so that another thread can compute the
 * shallow sizes meanwhile (analyzeGraph does).
 */
export function computeDominators(
  graph: HeapGraph,
  _retainers: Retainers | null,
  selfBytes: Float64Array | (() => Float64Array),
  options: DominatorOptions = {},
): Dominators {
  const { nodeCount, root } = graph;
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: 'dominators', done: 0, total: nodeCount });
  const rules = edgeRules(graph);
  const { results, retainedOffset, nodeInfo, vertex, parent, spare, predFirst, preds, firstLeft, reachedFromRoot } = numberNodes(graph, rules, options);
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
    // The DFS parent is a predecessor (the tree edge, left out of the list), or the root for the nodes
    // hung off it; not for the cliques, whose parent is no predecessor.
    let semiW = w < firstLeft ? parent[w]! : w;
    for (let r = start; r < end && semiW !== 0; r++) {
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
  // above the semidominator. idom[w] takes the place of semi[w], read just before.
  const idom = semi;
  idom[0] = 0;
  for (let w = 1; w < N; w++) {
    const s = semi[w]!;
    let d = parent[w]!;
    while (d > s) d = idom[d]!;
    idom[w] = d;
  }

  // 4. Back to NodeIds; retained sizes by adding each node to its dominator, children before parents
  // (reverse DFS order is a post-order of the dominator tree). `parent` is done with: its memory holds the
  // dominators; `nodeInfo`'s holds the retained sizes.
  options.onProgress?.({ phase: 'retained', done: 0, total: nodeCount });
  const dominator = parent.fill(root);
  const retainedBytes = new Float64Array(results, retainedOffset, nodeCount);
  retainedBytes.set(typeof selfBytes === 'function' ? selfBytes() : selfBytes);
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

/** The inputs of the counted-edge test (see EdgeRules); FlagOwned is set by numberNodes. */
function edgeRules(graph: HeapGraph): EdgeRules {
  const { strings, nodeCount, nodeObjectId } = graph;
  // One byte per string says "a WeakMap value edge name", and the table's object id sits beside it (a
  // heap with many WeakMap entries has as many such names: a Map of them cost more than the scan).
  const isWeakMapName = new Uint8Array(strings.length);
  const weakMapTableOf = new Uint32Array(strings.length);
  const tableIds = new Set<number>();
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i]!;
    // Cheap tests first: the pattern below needs at least 63 characters and a final `)`.
    if (text.length < 63 || text.charCodeAt(text.length - 1) !== 0x29 || !text.includes('pair in WeakMap')) continue;
    const match = weakMapEdgeName.exec(text);
    if (match === null) continue;
    const table = Number(match[1]);
    // Object ids are 32-bit: a larger number names no node, so no edge is a value edge of its table.
    if (table > 0xffffffff) continue;
    isWeakMapName[i] = 1;
    weakMapTableOf[i] = table;
    tableIds.add(table);
  }
  const flags = new Uint8Array(nodeCount);
  if (tableIds.size > 0) {
    // The tables among the nodes, by object id: a 2^16-bit filter on the id's low bits (above bit 0: V8's
    // ids for heap objects are odd) turns almost every node away with one load from L1; the Set decides
    // for the rest.
    const filter = new Int32Array(1 << 11);
    for (const id of tableIds) filter[(id >>> 6) & 0x7ff]! |= 1 << (id >>> 1);
    for (let n = 0; n < nodeCount; n++) {
      const id = nodeObjectId[n]!;
      if (((filter[(id >>> 6) & 0x7ff]! >>> (id >>> 1)) & 1) !== 0 && tableIds.has(id)) flags[n] = FlagWeakMapTable;
    }
  }
  return { flags, isWeakMapName, weakMapTableOf };
}

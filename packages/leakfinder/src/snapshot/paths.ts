/**
 * Shortest strong retainer paths from the GC roots, and how to print them for people. The BFS follows
 * DevTools' `calculateDistances`: user roots (the global objects) first, then everything else from the
 * root; weak edges never; two V8 internals that only look like paths are skipped (see below).
 */
import { EdgeType, NodeType, edgeNameOf, edgeSource, isIndexEdge, nodeNameOf, type HeapGraph, type NodeId } from './graph.js';
import { knownStrings, type KnownStrings } from './known-strings.js';

/** No parent: the root, or a node not reachable over strong edges. */
export const NoParent = 0xffffffff;

/** Per node, the edge and node it is first reached from in the BFS (NoParent for the root/unreachable). */
export interface RetainerTree {
  readonly parentEdge: Uint32Array;
  /**
   * The source node of each parentEdge. Built on first use, by one pass over the edges: the BFS does not
   * keep it, which saves 4 bytes per node at the engine's memory peak. Group signatures need all of it.
   */
  readonly parentNode: Uint32Array;
  /** The parent of one node without building parentNode (a binary search): for a few paths. */
  parentOf(node: NodeId): NodeId;
}

/** A RetainerTree around the BFS's parent edges. */
export function retainerTreeOf(graph: Pick<HeapGraph, 'nodeCount' | 'firstEdge' | 'edgeTarget'>, parentEdge: Uint32Array): RetainerTree {
  let parentNode: Uint32Array | null = null;
  return {
    parentEdge,
    get parentNode(): Uint32Array {
      if (parentNode === null) {
        const { nodeCount, firstEdge, edgeTarget } = graph;
        const parents = new Uint32Array(nodeCount).fill(NoParent);
        for (let n = 0; n < nodeCount; n++) {
          for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
            if (parentEdge[edgeTarget[e]!] === e) parents[edgeTarget[e]!] = n;
          }
        }
        parentNode = parents;
      }
      return parentNode;
    },
    parentOf(node: NodeId): NodeId {
      if (parentNode !== null) return parentNode[node]!;
      const edge = parentEdge[node]!;
      return edge === NoParent ? NoParent : edgeSource(graph, edge);
    },
  };
}

/** The columns computeRetainerTree reads: no strings, so a second thread can run it (side-analysis.ts). */
export type RetainerTreeColumns = Pick<HeapGraph, 'nodeCount' | 'root' | 'nodeType' | 'nodeName' | 'firstEdge' | 'edgeTarget' | 'edgeType' | 'edgeName'>;

/** BFS from the roots over strong edges; the tree of shortest retainer paths. */
export function computeRetainerTree(
  graph: RetainerTreeColumns & Partial<Pick<HeapGraph, 'strings'>>,
  known?: KnownStrings,
  scratch?: Uint32Array,
): RetainerTree {
  const { nodeCount, firstEdge, edgeTarget, edgeType, edgeName, nodeType, nodeName, root } = graph;
  const names = known ?? knownStrings(graph.strings ?? []);
  const parentEdge = new Uint32Array(nodeCount).fill(NoParent);
  // `scratch` (at least 1.25 × nodeCount long, any contents) holds the queue and the reached flags.
  const reuse = scratch !== undefined && scratch.length >= nodeCount + Math.ceil(nodeCount / 4);
  const queue = reuse ? scratch.subarray(0, nodeCount) : new Uint32Array(nodeCount);
  const reached = reuse ? new Uint8Array(scratch.buffer, scratch.byteOffset + nodeCount * 4, nodeCount).fill(0) : new Uint8Array(nodeCount);
  const nativeContextName = names.nativeContext;
  const sloppyFunctionMap = names.sloppyFunctionMap;
  const mapDescriptors = names.mapDescriptors;
  let head = 0;
  let tail = 0;
  const bfs = (): void => {
    while (head < tail) {
      const node = queue[head++]!;
      const type = nodeType[node]!;
      // DevTools skips two links that are not real ownership: a NativeContext's `sloppy_function_map`, and
      // the per-descriptor value slots of `(map descriptors)` arrays, which maps share (crbug.com/413608).
      const isNativeContext = type === NodeType.Hidden && nodeName[node] === nativeContextName;
      const isDescriptors = type === NodeType.Array && nodeName[node] === mapDescriptors;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        const target = edgeTarget[e]!;
        if (reached[target] !== 0) continue;
        const et = edgeType[e]!;
        if (et === EdgeType.Weak) continue;
        if (isNativeContext && !isIndexEdge(et) && edgeName[e] === sloppyFunctionMap) continue;
        if (isDescriptors && isIndexEdge(et)) {
          const index = edgeName[e]!;
          if (index >= 2 && index % 3 === 1) continue;
        }
        reached[target] = 1;
        parentEdge[target] = e;
        queue[tail++] = target;
      }
    }
  };
  reached[root] = 1;
  // User roots first, so paths to user objects go through `global` rather than V8's internal handles.
  for (let e = firstEdge[root]!, end = firstEdge[root + 1]!; e < end; e++) {
    const target = edgeTarget[e]!;
    if (reached[target] !== 0 || nodeType[target] === NodeType.Synthetic || edgeType[e] === EdgeType.Weak) continue;
    reached[target] = 1;
    parentEdge[target] = e;
    queue[tail++] = target;
  }
  bfs();
  queue[tail++] = root;
  bfs();
  return retainerTreeOf(graph, parentEdge);
}

/** One hop of a path: the edge taken and the node it leads to. */
export interface PathStep {
  readonly edge: number;
  readonly node: NodeId;
}

/** The hops from the root to `node` (root excluded); [] when the node is the root or unreachable. */
export function pathSteps(tree: RetainerTree, node: NodeId): PathStep[] {
  const steps: PathStep[] = [];
  let current = node;
  while (tree.parentEdge[current] !== NoParent) {
    steps.push({ edge: tree.parentEdge[current]!, node: current });
    current = tree.parentOf(current);
    if (steps.length > 100_000) break; // a corrupt tree must not loop forever
  }
  return steps.reverse();
}

/**
 * True for property names that are data rather than code: Map/object keys that are ids, tokens, session
 * ids, hashes, numbers, URLs, e-mail addresses. They are printed as `<key>` unless `showValues` is set.
 */
export function isDataKey(name: string): boolean {
  if (name.length === 0) return false;
  if (name.length > 40) return true;
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return true; // spaces, dashes, dots, colons, slashes, @: not an identifier
  if (/\d{4,}/.test(name)) return true; // ids and timestamps inside a name
  if (/^[0-9a-f]{12,}$/i.test(name)) return true; // hex digests
  if (name.length >= 20 && /[A-Z]/.test(name) && /[a-z]/.test(name) && /\d/.test(name)) return true; // random tokens
  return false;
}

/** How a node is called in a path: its class, `fn()` for functions, `(string)` for strings (never the text). */
export function nodeLabel(graph: HeapGraph, node: NodeId): string {
  const type = graph.nodeType[node]!;
  const name = nodeNameOf(graph, node);
  switch (type) {
    case NodeType.Object:
    case NodeType.Native:
      if (name === 'system / Context') return '(closure scope)';
      // The global object is `global / <url>`; snapshots taken over the inspector leave the url empty.
      if (name.endsWith(' / ')) return name.slice(0, -3);
      return name === '' ? 'Object' : name;
    case NodeType.Closure:
      return `${name === '' ? '(anonymous)' : name}()`;
    case NodeType.String:
    case NodeType.ConsString:
    case NodeType.SlicedString:
      return '(string)';
    case NodeType.Synthetic:
      return name === '' ? '(root)' : name;
    case NodeType.Number:
      return '(number)';
    case NodeType.Symbol:
      return '(symbol)';
    case NodeType.BigInt:
      return '(bigint)';
    case NodeType.RegExp:
      return 'RegExp';
    case NodeType.Array:
      return name.startsWith('(') ? name : '(array)';
    case NodeType.Code:
      return '(code)';
    default:
      return `(${name.startsWith('system / ') ? name.slice(9) : 'internal'})`;
  }
}

/** V8 plumbing that a path shows only by what it leads to (hash tables, element stores, maps, code). */
export function isPlumbing(graph: HeapGraph, node: NodeId): boolean {
  const type = graph.nodeType[node]!;
  if (type === NodeType.Hidden || type === NodeType.Array || type === NodeType.Code || type === NodeType.ObjectShape) return true;
  if (type === NodeType.Other) return true;
  if (type === NodeType.Object) {
    const name = nodeNameOf(graph, node);
    return name.startsWith('system / ') && name !== 'system / Context';
  }
  return false;
}

/** The name an edge shows in a path, or '' for edges that say nothing to a user (internal slots). */
export function edgeLabel(graph: HeapGraph, edge: number, showValues: boolean): string {
  const type = graph.edgeType[edge]!;
  if (type === EdgeType.Element) return `[${graph.edgeName[edge]!}]`;
  if (type === EdgeType.Hidden || type === EdgeType.Weak) return '';
  const name = edgeNameOf(graph, edge);
  if (type === EdgeType.Internal && (/^\d+$/.test(name) || name.includes(' / part of key'))) return '';
  if (type === EdgeType.Internal && !showValues && isDataKey(name)) return '';
  if (!showValues && isDataKey(name)) return '<key>';
  return name;
}

/** Options for rendering paths. */
export interface RenderPathOptions {
  /** Print data-like property names as they are instead of `<key>`. */
  readonly showValues?: boolean;
}

/**
 * A path as people read it, root first: `['(GC roots)', 'global', 'Object `keep`', 'Map `cache`', 'Foo']`.
 * V8 plumbing in between (hash tables, element stores) is folded away; string contents are never shown.
 */
export function renderPath(graph: HeapGraph, tree: RetainerTree, node: NodeId, options: RenderPathOptions = {}): string[] {
  const showValues = options.showValues ?? false;
  const steps = pathSteps(tree, node);
  if (steps.length === 0) return node === graph.root ? ['(root)'] : ['(unreachable)', nodeLabel(graph, node)];
  const out: string[] = [];
  const first = steps[0]!;
  // The global object hangs off the root by a shortcut; it is a GC root for the reader's purposes.
  if (graph.nodeType[first.node] !== NodeType.Synthetic) out.push('(GC roots)');
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (i < steps.length - 1 && isPlumbing(graph, step.node)) continue;
    const text = nodeLabel(graph, step.node);
    // The root's shortcut names the global object by its URL/name: noise. A scope's `context` link: same.
    const quiet =
      (i === 0 && graph.edgeType[step.edge] === EdgeType.Shortcut) || (text === '(closure scope)' && graph.edgeType[step.edge] === EdgeType.Internal);
    // Keys of an emitter's `_events` are event names, which are code ('config-changed'), not data.
    const eventName = i > 0 && graph.edgeType[step.edge] === EdgeType.Property && edgeNameOf(graph, steps[i - 1]!.edge) === '_events';
    const label = quiet ? '' : edgeLabel(graph, step.edge, showValues || eventName);
    out.push(label === '' || graph.nodeType[step.node] === NodeType.Synthetic ? text : `${text} \`${label}\``);
  }
  return out;
}

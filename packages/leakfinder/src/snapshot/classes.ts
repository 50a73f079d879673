/**
 * Class tables: live objects per class with count, self bytes and retained bytes. A class is the
 * constructor (V8 node) name, split by code location where V8 records one (two `Foo` classes in two files
 * stay apart; closures split by where the function is defined). Keys use V8's script ids, which are stable
 * for the life of a process, so keys match across snapshots of the same process.
 */
import { NodeType, nodeNameOf, type HeapGraph, type NodeId } from './graph.js';
import { NoClass, rawClassIndex, type RawClassIndex } from './raw-classes.js';
import type { Dominators } from './dominators.js';

/** Class of every node, plus the class names and keys. Nodes that DevTools does not list get `NoClass`. */
export interface ClassIndex {
  readonly classOf: Uint32Array;
  readonly names: readonly string[];
  readonly keys: readonly string[];
}

export { NoClass };

/** The class name DevTools would show for a node (`Foo`, `(closure)`, `(string)`, `(system)`…). */
export function classNameOf(graph: HeapGraph, node: NodeId): string {
  const type = graph.nodeType[node]!;
  switch (type) {
    case NodeType.Object:
    case NodeType.Native: {
      const name = nodeNameOf(graph, node);
      return name === '' ? 'Object' : name;
    }
    case NodeType.Hidden:
      return '(system)';
    case NodeType.Code:
      return '(compiled code)';
    case NodeType.Closure:
      return '(closure)';
    case NodeType.String:
      return '(string)';
    case NodeType.ConsString:
      return '(concatenated string)';
    case NodeType.SlicedString:
      return '(sliced string)';
    case NodeType.Array:
      return '(array)';
    case NodeType.RegExp:
      return '(regexp)';
    case NodeType.Number:
      return '(number)';
    case NodeType.Symbol:
      return '(symbol)';
    case NodeType.BigInt:
      return '(bigint)';
    case NodeType.ObjectShape:
      return '(object shape)';
    case NodeType.Synthetic:
      return nodeNameOf(graph, node);
    default:
      return '(internal)';
  }
}

/**
 * Assigns every listed node a class id: the provisional ids of rawClassIndex (computed here unless a
 * second thread did it already), named and merged by their keys (`Foo`, `Foo@12:3:4`). `selfBytes` are the
 * shallow sizes: like DevTools, nodes of size 0 (other than native ones) get NoClass.
 */
export function indexClasses(graph: HeapGraph, selfBytes: Float64Array, raw: RawClassIndex = rawClassIndex(graph, selfBytes)): ClassIndex {
  const names: string[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  const rawCount = raw.representative.length;
  // Provisional ids are in order of first appearance, so interning them in order keeps that order.
  const finalId = new Uint32Array(rawCount);
  for (let id = 0; id < rawCount; id++) {
    const node = raw.representative[id]!;
    const name = classNameOf(graph, node);
    let key = name;
    const row = raw.locationRow[id]!;
    if (row !== 0) {
      const loc = graph.locations;
      key = `${name}@${loc.scriptId[row - 1]!}:${loc.line[row - 1]!}:${loc.column[row - 1]!}`;
    }
    let final = byKey.get(key);
    if (final === undefined) {
      final = names.length;
      byKey.set(key, final);
      names.push(name);
      keys.push(key);
    }
    finalId[id] = final;
  }
  // The raw array becomes the result: one pass, no second n-sized array.
  const classOf = raw.classOf;
  for (let n = 0; n < classOf.length; n++) {
    const id = classOf[n]!;
    if (id !== NoClass) classOf[n] = finalId[id]!;
  }
  return { classOf, names, keys };
}

/** One row of a class (or group) table. */
export interface ClassRow {
  readonly key: string;
  readonly className: string;
  readonly count: number;
  readonly selfBytes: number;
  /** What freeing every object of the class would free: members inside another member are counted once. */
  readonly retainedBytes: number;
  /** One representative node (the largest by retained size), for a retainer path. */
  readonly sampleNode: NodeId;
}

/** Children lists of the dominator tree (CSR), for walks from the root down. */
export interface DominatorTree {
  readonly firstChild: Uint32Array;
  readonly children: Uint32Array;
}

/** Builds the dominated-children lists from the immediate dominators. */
export function buildDominatorTree(graph: HeapGraph, dominators: Dominators): DominatorTree {
  const { nodeCount, root } = graph;
  const dominator = dominators.dominator;
  const firstChild = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) if (n !== root) firstChild[dominator[n]! + 1]!++;
  for (let n = 0; n < nodeCount; n++) firstChild[n + 1]! += firstChild[n]!;
  const children = new Uint32Array(Math.max(0, nodeCount - 1));
  // Filled from the back with firstChild[d + 1] (the end of d's range) as the cursor, so no cursor array:
  // afterwards firstChild[d + 1] holds the start of d's range, and one shift puts it in place.
  for (let n = nodeCount - 1; n >= 0; n--) if (n !== root) children[--firstChild[dominator[n]! + 1]!] = n;
  firstChild.copyWithin(0, 1);
  firstChild[nodeCount] = children.length;
  return { firstChild, children };
}

/**
 * Sums a table over an id per node (class or group). Retained bytes follow DevTools'
 * `calculateClassesRetainedSize`: walking the dominator tree, a member counts only if no member of the
 * same id dominates it, so nested members are not counted twice.
 */
export function tabulate(
  graph: HeapGraph,
  selfBytes: Float64Array,
  dominators: Dominators,
  tree: DominatorTree,
  idOf: Uint32Array,
  idCount: number,
  names: readonly string[],
  keys: readonly string[],
): ClassRow[] {
  const count = new Float64Array(idCount);
  const self = new Float64Array(idCount);
  const retained = new Float64Array(idCount);
  const sample = new Int32Array(idCount).fill(-1);
  const { retainedBytes } = dominators;
  for (let n = 0; n < graph.nodeCount; n++) {
    const id = idOf[n]!;
    if (id === NoClass) continue;
    count[id]!++;
    self[id]! += selfBytes[n]!;
    const best = sample[id]!;
    if (best < 0 || retainedBytes[n]! > retainedBytes[best]!) sample[id] = n;
  }
  // Iterative DFS over the dominator tree; `open[id]` counts members of id on the current root path.
  const open = new Uint32Array(idCount);
  const { firstChild, children } = tree;
  // Entries are node * 2 (enter) or node * 2 + 1 (leave). The stack grows on demand: it rarely holds more
  // than a small part of the nodes, and a 2n-sized one cost 8 bytes per node at the memory peak.
  let stack = new Uint32Array(Math.min(1 << 16, graph.nodeCount * 2 + 1));
  let top = 0;
  stack[top++] = graph.root * 2;
  while (top > 0) {
    const entry = stack[--top]!;
    const node = entry >>> 1;
    const id = idOf[node]!;
    if ((entry & 1) === 1) {
      if (id !== NoClass) open[id]!--; // leaving node's subtree
      continue;
    }
    const first = firstChild[node]!;
    const end = firstChild[node + 1]!;
    if (top + (end - first) + 1 > stack.length) {
      const grown = new Uint32Array(Math.max(stack.length * 2, top + (end - first) + 1));
      grown.set(stack.subarray(0, top));
      stack = grown;
    }
    if (id !== NoClass) {
      if (open[id] === 0) retained[id]! += retainedBytes[node]!;
      open[id]!++;
      stack[top++] = node * 2 + 1;
    }
    for (let c = first; c < end; c++) stack[top++] = children[c]! * 2;
  }
  const rows: ClassRow[] = [];
  for (let id = 0; id < idCount; id++) {
    if (count[id] === 0) continue;
    rows.push({
      key: keys[id]!,
      className: names[id]!,
      count: count[id]!,
      selfBytes: self[id]!,
      retainedBytes: retained[id]!,
      sampleNode: sample[id]!,
    });
  }
  return rows.sort((a, b) => b.retainedBytes - a.retainedBytes || a.key.localeCompare(b.key));
}

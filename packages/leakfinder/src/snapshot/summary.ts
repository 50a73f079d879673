/**
 * What `check` needs per snapshot, computed in the calling thread (worker.ts runs these in a worker):
 * groups (class + retainer signature) with count/self/retained bytes, and for chosen groups a retainer path,
 * the holder in user terms and the allocation stacks when the snapshot has traces.
 */
import { indexAllocationTraces, rankAllocationStacks, type RawFrame } from './allocation-traces.js';
import { analyzeGraph, type AnalyzedGraph } from './analyze-graph.js';
import { NoClass, tabulate } from './classes.js';
import { NodeType, type HeapGraph, type NodeId } from './graph.js';
import { describeHolder, type Holder } from './holder.js';
import { NoParent, edgeLabel, isPlumbing, nodeLabel, renderPath, type RetainerTree } from './paths.js';
import { readSnapshot, statSnapshotFile, type ReadSnapshotOptions } from './read.js';

/** Facts about one snapshot file, as the reports list them. */
export interface FileFacts {
  readonly path: string;
  readonly fileBytes: number;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Total of all self sizes. */
  readonly heapBytes: number;
}

/** Live objects of one group in one snapshot. `key` is stable across snapshots of one process. */
export interface GroupRow {
  readonly key: string;
  readonly className: string;
  /** The retainer signature, e.g. "Map `cache` in (closure scope)"; '' when the object hangs off a root. */
  readonly signature: string;
  readonly count: number;
  readonly selfBytes: number;
  readonly retainedBytes: number;
}

/** Result of summarizeSnapshotFile. */
export interface SnapshotSummary {
  readonly file: FileFacts;
  readonly groups: GroupRow[];
}

/** Result of explainGroups, one per asked key (unknown keys get an empty path and null holder). */
export interface GroupExplanation {
  readonly key: string;
  readonly retainerPath: string[];
  readonly holder: Holder | null;
  readonly creationStacks: { frames: RawFrame[]; count: number }[];
}

/** Marks a node whose part is not computed yet, and a node that is plumbing (no part of its own). */
const PartUnknown = -1;
const PartNone = -2;
/** Part ids are packed two to a number in the signature key; more distinct parts than this fall back to text. */
const partIdLimit = 2 ** 26;

/**
 * Retainer signatures: per node, its two nearest visible holders (two keep keys stable yet specific;
 * looking at most 16 hops up the retainer tree), nearest first, with indices and data keys normalised so
 * that objects added later to the same collection share it. Everything is cached by number: a holder's
 * text ("part") once per node, a signature once per parent node, and both texts are interned, so a
 * snapshot of millions of nodes builds a few thousand strings rather than one per node.
 */
class Signatures {
  readonly texts: string[] = [];
  private readonly idByKey = new Map<number | string, number>();
  private readonly partTexts: string[] = [];
  private readonly partIdByText = new Map<string, number>();
  private readonly partOf: Int32Array;
  private readonly sigOfParent: Int32Array;
  private readonly parentNode: Uint32Array;

  constructor(
    private readonly graph: HeapGraph,
    private readonly tree: RetainerTree,
  ) {
    this.partOf = new Int32Array(graph.nodeCount).fill(PartUnknown);
    this.sigOfParent = new Int32Array(graph.nodeCount).fill(-1);
    this.parentNode = tree.parentNode;
  }

  /** The signature id of a node (an index into `texts`). */
  of(node: NodeId): number {
    const parent = this.parentNode[node]!;
    if (parent === NoParent) return this.intern('', '');
    const cached = this.sigOfParent[parent]!;
    if (cached >= 0) return cached;
    let first = -1;
    let second = -1;
    let current = parent;
    const root = this.graph.root;
    for (let hops = 0; current !== NoParent && current !== root && second < 0 && hops < 16; hops++) {
      const part = this.partId(current);
      if (part !== PartNone) {
        if (first < 0) first = part;
        else second = part;
      }
      current = this.parentNode[current]!;
    }
    const key = first < 0 ? '' : second < 0 || first >= partIdLimit || second >= partIdLimit ? `${first},${second}` : (first + 1) * partIdLimit + second + 1;
    const text = first < 0 ? '' : second < 0 ? this.partTexts[first]! : `${this.partTexts[first]!} in ${this.partTexts[second]!}`;
    const id = this.intern(key, text);
    this.sigOfParent[parent] = id;
    return id;
  }

  private intern(key: number | string, text: string): number {
    let id = this.idByKey.get(key);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.idByKey.set(key, id);
    }
    return id;
  }

  /** The holder text of one node on a path (`Map \`cache\``), as a part id; PartNone for plumbing. */
  private partId(node: NodeId): number {
    const known = this.partOf[node]!;
    if (known !== PartUnknown) return known;
    const { graph, tree } = this;
    let id = PartNone;
    if (!isPlumbing(graph, node)) {
      const text = nodeLabel(graph, node);
      const edge = tree.parentEdge[node]!;
      const label = edge === NoParent || graph.nodeType[node] === NodeType.Synthetic ? '' : edgeLabel(graph, edge, false);
      const normalized = label.replace(/^\[\d+\]$/, '[]');
      const part = normalized === '' || text === '(closure scope)' ? text : `${text} \`${normalized}\``;
      id = this.partIdByText.get(part) ?? -1;
      if (id < 0) {
        id = this.partTexts.length;
        this.partTexts.push(part);
        this.partIdByText.set(part, id);
      }
    }
    this.partOf[node] = id;
    return id;
  }
}

/** Group ids per node (NoClass outside any group), with keys, class names and signatures per group. */
export function indexGroups(analyzed: AnalyzedGraph): { groupOf: Uint32Array; keys: string[]; names: string[]; signatures: string[] } {
  const { graph, classes, retainerTree } = analyzed;
  const groupOf = new Uint32Array(graph.nodeCount);
  const keys: string[] = [];
  const names: string[] = [];
  const signatures: string[] = [];
  const signatureIds = new Signatures(graph, retainerTree);
  // A group is a (class, signature) pair: keyed by number here, by text only when it is new.
  const classCount = classes.names.length;
  const byPair = new Map<number, number>();
  const byKey = new Map<string, number>();
  for (let n = 0; n < graph.nodeCount; n++) {
    const classId = classes.classOf[n]!;
    if (classId === NoClass) {
      groupOf[n] = NoClass;
      continue;
    }
    const signatureId = signatureIds.of(n);
    const pair = signatureId * classCount + classId;
    let id = byPair.get(pair);
    if (id === undefined) {
      const signature = signatureIds.texts[signatureId]!;
      const key = `${classes.keys[classId]!} via ${signature}`;
      // Two class ids never share a key and two signature ids never share a text, so a new pair is a new
      // key; the text map only guards that.
      id = byKey.get(key);
      if (id === undefined) {
        id = keys.length;
        byKey.set(key, id);
        keys.push(key);
        names.push(classes.names[classId]!);
        signatures.push(signature);
      }
      byPair.set(pair, id);
    }
    groupOf[n] = id;
  }
  return { groupOf, keys, names, signatures };
}

/** File facts of an analysed snapshot. */
export function fileFacts(path: string, fileBytes: number, graph: HeapGraph): FileFacts {
  let heapBytes = 0;
  for (let n = 0; n < graph.nodeCount; n++) heapBytes += graph.nodeSelfBytes[n]!;
  return { path, fileBytes, nodeCount: graph.nodeCount, edgeCount: graph.edgeCount, heapBytes };
}

/** Groups of an analysed snapshot, largest retained first. */
export function summarizeAnalyzed(analyzed: AnalyzedGraph): GroupRow[] {
  const { graph, selfBytes, dominators, dominatorTree } = analyzed;
  const groups = indexGroups(analyzed);
  const rows = tabulate(graph, selfBytes, dominators, dominatorTree, groups.groupOf, groups.keys.length, groups.names, groups.keys);
  const signatureByKey = new Map(groups.keys.map((key, i) => [key, groups.signatures[i]!]));
  return rows.map((row) => ({
    key: row.key,
    className: row.className,
    signature: signatureByKey.get(row.key) ?? '',
    count: row.count,
    selfBytes: row.selfBytes,
    retainedBytes: row.retainedBytes,
  }));
}

/** Explanations for the given group keys of an analysed snapshot. */
export function explainAnalyzed(analyzed: AnalyzedGraph, keys: readonly string[], showValues = false): GroupExplanation[] {
  const { graph, retainerTree, retainers, dominators } = analyzed;
  const groups = indexGroups(analyzed);
  const idByKey = new Map(groups.keys.map((key, i) => [key, i]));
  const wanted = new Map<number, NodeId[]>();
  for (const key of keys) {
    const id = idByKey.get(key);
    if (id !== undefined) wanted.set(id, []);
  }
  for (let n = 0; n < graph.nodeCount; n++) wanted.get(groups.groupOf[n]!)?.push(n);
  const retainedBy = function* (node: NodeId): Iterable<[NodeId, number]> {
    for (let r = retainers.firstRetainer[node]!, end = retainers.firstRetainer[node + 1]!; r < end; r++) {
      yield [retainers.retainerNode[r]!, retainers.retainerEdge[r]!];
    }
  };
  let traceIndex: ReturnType<typeof indexAllocationTraces> | null = null;
  if (graph.traces !== null && graph.nodeTraceNodeId !== null) {
    try {
      traceIndex = indexAllocationTraces(graph.traces);
    } catch {
      traceIndex = null; // malformed trace sections: explain without stacks
    }
  }
  return keys.map((key) => {
    const id = idByKey.get(key);
    const members = id === undefined ? [] : (wanted.get(id) ?? []);
    if (members.length === 0) return { key, retainerPath: [], holder: null, creationStacks: [] };
    // The member retaining the most stands for the group.
    let sample = members[0]!;
    for (const n of members) if (dominators.retainedBytes[n]! > dominators.retainedBytes[sample]!) sample = n;
    const creationStacks =
      traceIndex === null
        ? []
        : rankAllocationStacks(traceIndex, members.map((n) => graph.nodeTraceNodeId![n]!)).stacks.slice(0, 5).map((s) => ({
            frames: [...s.frames],
            count: s.count,
          }));
    return {
      key,
      retainerPath: renderPath(graph, retainerTree, sample, { showValues }),
      holder: describeHolder(graph, retainerTree, sample, retainedBy, showValues),
      creationStacks,
    };
  });
}

/** summarizeSnapshotFile without a worker (the worker calls this). */
export async function summarizeInThisThread(path: string, options: ReadSnapshotOptions = {}): Promise<SnapshotSummary> {
  const fileBytes = await statSnapshotFile(path);
  const graph = await readSnapshot(path, options);
  const analyzed = await analyzeGraph(graph, options);
  return { file: fileFacts(path, fileBytes, graph), groups: summarizeAnalyzed(analyzed) };
}

/** explainGroups without a worker. */
export async function explainInThisThread(
  path: string,
  keys: readonly string[],
  options: ReadSnapshotOptions & { showValues?: boolean } = {},
): Promise<GroupExplanation[]> {
  const graph = await readSnapshot(path, options);
  return explainAnalyzed(await analyzeGraph(graph, options), keys, options.showValues ?? false);
}

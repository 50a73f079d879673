/**
 * The full analysis of one snapshot, phase by phase: shallow sizes, dominators and retained sizes, the
 * dominator tree, classes and the retainer (shortest path) tree. Scratch arrays of each phase are dropped
 * as soon as it ends. On big graphs the retainer tree is built on a second thread while this one computes
 * dominators and classes (the two passes only read the shared columns).
 */
import { indexClasses, buildDominatorTree, tabulate, type ClassIndex, type ClassRow, type DominatorTree } from './classes.js';
import { computeDominators, type Dominators } from './dominators.js';
import type { HeapGraph } from './graph.js';
import { knownStrings } from './known-strings.js';
import { computeRetainerTree, type RetainerTree } from './paths.js';
import { readSnapshot, type ReadSnapshotOptions } from './read.js';
import { buildRetainers, type Retainers } from './retainers.js';
import { computeShallowSizes } from './shallow-sizes.js';
import { startSideAnalysis, type SideAnalysis } from './side-analysis.js';
import type { RawClassIndex } from './raw-classes.js';

/** Everything the reports need about one snapshot. */
export interface AnalyzedGraph {
  readonly graph: HeapGraph;
  /**
   * Self sizes as DevTools shows them (internal storage charged to its one owner). The same array as
   * `graph.nodeSelfBytes`: analyzeGraph computes them in place (see computeShallowSizes).
   */
  readonly selfBytes: Float64Array;
  /** Built on first use (explanations need it, the tables do not): 8 bytes per edge. */
  readonly retainers: Retainers;
  readonly dominators: Dominators;
  readonly dominatorTree: DominatorTree;
  readonly classes: ClassIndex;
  readonly classTable: readonly ClassRow[];
  readonly retainerTree: RetainerTree;
  /** True when the retainer tree and the class pass ran on a second thread. */
  readonly usedSecondThread: boolean;
}

/** Options of analyzeGraph. */
export interface AnalyzeGraphOptions extends Omit<ReadSnapshotOptions, 'chunkBytes'> {
  /**
   * Run the retainer-tree BFS and the class pass on a second thread, beside the dominators. Default: for
   * graphs of 300,000 nodes and more, where the BFS (≈0.04 µs per edge) outweighs starting a worker
   * (≈30–50 ms). Falls back to this thread when the columns are not in shared memory or the worker fails.
   */
  readonly secondThread?: boolean;
}

/**
 * Resolves after one full turn of the event loop, poll phase included (where signals and I/O are
 * delivered): two immediates, because the first may run before the loop has polled again.
 */
function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Graphs smaller than this are analysed on one thread (see AnalyzeGraphOptions.secondThread). */
const secondThreadMinNodes = 300_000;

/** Runs every phase on a parsed graph. */
export async function analyzeGraph(graph: HeapGraph, options: AnalyzeGraphOptions = {}): Promise<AnalyzedGraph> {
  const { signal, onProgress } = options;
  const step = async (phase: 'retainers' | 'classes' | 'distances'): Promise<void> => {
    // The phases are long synchronous loops (seconds on big files), during which a Ctrl-C cannot reach its
    // handler; a turn of the event loop between them lets it abort the run here.
    if (signal !== undefined) await eventLoopTurn();
    signal?.throwIfAborted();
    onProgress?.({ phase, done: 0, total: graph.nodeCount });
  };
  const known = knownStrings(graph.strings);
  let side: SideAnalysis | null = null;
  if (options.secondThread ?? graph.nodeCount >= secondThreadMinNodes) {
    try {
      side = startSideAnalysis(graph, known);
    } catch {
      side = null; // no worker (a bundle without the entry file, say): one thread still works
    }
  }
  // A failed worker costs time, never results: the same pass runs here instead.
  const fromSide = async <T>(result: Promise<T> | undefined): Promise<T | null> => {
    if (result === undefined) return null;
    try {
      return await result;
    } catch {
      return null;
    } finally {
      signal?.throwIfAborted();
    }
  };
  try {
    await step('retainers');
    const selfBytes = graph.nodeSelfBytes;
    let dominators: Dominators;
    if (side === null) {
      computeShallowSizes(graph, known, selfBytes);
      dominators = computeDominators(graph, null, selfBytes, options);
    } else {
      // The worker computes the shallow sizes while this thread numbers the nodes; they are needed only
      // for the last step of the dominator pass, long after the worker is done with them.
      dominators = computeDominators(graph, null, () => (side.ensureShallowSizes(), selfBytes), options);
    }
    await step('classes');
    const dominatorTree = buildDominatorTree(graph, dominators);
    const raw: RawClassIndex | null = await fromSide(side?.rawClasses);
    const classes = raw === null ? indexClasses(graph, selfBytes) : indexClasses(graph, selfBytes, raw);
    const classTable = tabulate(graph, selfBytes, dominators, dominatorTree, classes.classOf, classes.names.length, classes.names, classes.keys);
    await step('distances');
    const sideTree = await fromSide(side?.retainerTree);
    const retainerTree = sideTree ?? computeRetainerTree(graph, known);
    let retainers: Retainers | null = null;
    return {
      graph,
      selfBytes,
      get retainers(): Retainers {
        return (retainers ??= buildRetainers(graph));
      },
      dominators,
      dominatorTree,
      classes,
      classTable,
      retainerTree,
      usedSecondThread: raw !== null && sideTree !== null,
    };
  } finally {
    side?.cancel();
  }
}

/** Reads and analyses a snapshot file. */
export async function readAndAnalyze(path: string, options: ReadSnapshotOptions & AnalyzeGraphOptions = {}): Promise<AnalyzedGraph> {
  const graph = await readSnapshot(path, options);
  return analyzeGraph(graph, options);
}

/**
 * The full analysis of one snapshot, phase by phase: shallow sizes, retainers, dominators and retained
 * sizes, the dominator tree, classes and the retainer (shortest path) tree. Scratch arrays of each phase
 * are dropped as soon as it ends.
 */
import { indexClasses, buildDominatorTree, tabulate, type ClassIndex, type ClassRow, type DominatorTree } from './classes.js';
import { computeDominators, type Dominators } from './dominators.js';
import type { HeapGraph } from './graph.js';
import { computeRetainerTree, type RetainerTree } from './paths.js';
import { readSnapshot, type ReadSnapshotOptions } from './read.js';
import { buildRetainers, type Retainers } from './retainers.js';
import { computeShallowSizes } from './shallow-sizes.js';

/** Everything the reports need about one snapshot. */
export interface AnalyzedGraph {
  readonly graph: HeapGraph;
  /** Self sizes as DevTools shows them (internal storage charged to its one owner). */
  readonly selfBytes: Float64Array;
  /** Built on first use (explanations need it, the tables do not): 8 bytes per edge. */
  readonly retainers: Retainers;
  readonly dominators: Dominators;
  readonly dominatorTree: DominatorTree;
  readonly classes: ClassIndex;
  readonly classTable: readonly ClassRow[];
  readonly retainerTree: RetainerTree;
}

/** Runs every phase on a parsed graph. */
export function analyzeGraph(graph: HeapGraph, options: Omit<ReadSnapshotOptions, 'chunkBytes'> = {}): AnalyzedGraph {
  const { signal, onProgress } = options;
  const step = (phase: 'retainers' | 'classes' | 'distances'): void => {
    signal?.throwIfAborted();
    onProgress?.({ phase, done: 0, total: graph.nodeCount });
  };
  step('retainers');
  const selfBytes = computeShallowSizes(graph);
  const dominators = computeDominators(graph, null, selfBytes, options);
  step('classes');
  const dominatorTree = buildDominatorTree(graph, dominators);
  const classes = indexClasses(graph, selfBytes);
  const classTable = tabulate(graph, selfBytes, dominators, dominatorTree, classes.classOf, classes.names.length, classes.names, classes.keys);
  step('distances');
  const retainerTree = computeRetainerTree(graph);
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
  };
}

/** Reads and analyses a snapshot file. */
export async function readAndAnalyze(path: string, options: ReadSnapshotOptions = {}): Promise<AnalyzedGraph> {
  const graph = await readSnapshot(path, options);
  return analyzeGraph(graph, options);
}

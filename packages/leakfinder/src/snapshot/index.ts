/**
 * `leakfinder/snapshot`: the heap snapshot engine. Read a `.heapsnapshot` into columns, compute retainers,
 * dominators and retained sizes, class tables, retainer paths, and summaries for `check` (in a worker).
 */
export { readSnapshot, parseSnapshotBytes, statSnapshotFile, type ReadSnapshotOptions, type SnapshotProgress } from './read.js';
export {
  EdgeType,
  NodeType,
  edgeNameOf,
  edgeSource,
  locationOf,
  nodeNameOf,
  totalSelfBytes,
  type HeapGraph,
  type NodeId,
  type NodeLocations,
  type SnapshotTraces,
} from './graph.js';
export { buildRetainers, type Retainers } from './retainers.js';
export { computeDominators, type Dominators, type DominatorOptions } from './dominators.js';
export { computeShallowSizes } from './shallow-sizes.js';
export { computeRetainerTree, renderPath, isDataKey, NoParent, type RetainerTree, type RenderPathOptions } from './paths.js';
export { classNameOf, indexClasses, tabulate, buildDominatorTree, NoClass, type ClassIndex, type ClassRow } from './classes.js';
export { analyzeGraph, readAndAnalyze, type AnalyzedGraph, type AnalyzeGraphOptions } from './analyze-graph.js';
export { describeHolder, type Holder } from './holder.js';
export {
  explainAnalyzed,
  fileFacts,
  summarizeAnalyzed,
  type FileFacts,
  type GroupExplanation,
  type GroupRow,
  type SnapshotSummary,
} from './summary.js';
export { summarizeSnapshotFile, explainGroups, type SnapshotJobOptions } from './worker.js';
export { indexGroups } from './summary.js';
export type { AnalysisReport, ClassEntry, GrowthEntry, NewObjectGroup } from './analysis-report.js';
